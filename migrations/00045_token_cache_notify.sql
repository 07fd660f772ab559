-- +goose Up
-- The API processes' caches of verified bearer tokens (postgres.TokenCache) are
-- told on channel tsunagu_auth, at commit, of every change that could alter what
-- authenticating a token answers, as user:<id>: one of the user's tokens was
-- revoked, changed or deleted, or the user changed in any way (role, scope,
-- disabled, names, e-mail…) or was deleted. Each process drops the user's tokens.
--
-- The triggers are named to fire before migration 00011's *_event triggers on the
-- same rows, so that on the one listening connection a process hears the cache's
-- user:<id> before the first real-time user:<id> of the same transaction (whose
-- handling authenticates the user's open sockets again; later identical ones are
-- folded into it). That is why tokens are named by their user, not their hash: a
-- revocation of two tokens of a user must have dropped both before the sockets
-- are checked.

-- +goose StatementBegin
CREATE FUNCTION notify_token_cache() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'auth_tokens' THEN
        PERFORM pg_notify('tsunagu_auth', 'user:' || OLD.user_id);
    ELSE
        PERFORM pg_notify('tsunagu_auth', 'user:' || OLD.id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER auth_tokens_auth_cache AFTER UPDATE OR DELETE ON auth_tokens
    FOR EACH ROW EXECUTE FUNCTION notify_token_cache();
CREATE TRIGGER users_auth_cache AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_token_cache();

-- +goose Down
DROP TRIGGER users_auth_cache ON users;
DROP TRIGGER auth_tokens_auth_cache ON auth_tokens;
DROP FUNCTION notify_token_cache();
