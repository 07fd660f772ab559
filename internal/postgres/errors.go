package postgres

import (
	"errors"
	"fmt"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// The database's refusals that reach clients, in one table (as GoAlert's
// validation.MapDBError): a violated constraint becomes the domain error a clerk can
// act on. Most of these never fire, because the checks made under a lock come first
// and give the same error; the constraints are what holds when a check is missed.

// dbErrorKey names a refusal: its SQLSTATE and the constraint (or unique index)
// that made it; an empty constraint stands for any constraint of that SQLSTATE.
type dbErrorKey struct {
	code       pq.ErrorCode
	constraint string
}

const (
	uniqueViolation     pq.ErrorCode = "23505"
	checkViolation      pq.ErrorCode = "23514"
	foreignKeyViolation pq.ErrorCode = "23503"
	exclusionViolation  pq.ErrorCode = "23P01"
)

// dbErrors maps refusals to the errors clients get.
var dbErrors = map[dbErrorKey]*tsunagu.Error{
	{uniqueViolation, "products_code"}: tsunagu.Errorf(tsunagu.CodeDuplicateCode, "input.code",
		"Another product already has this code."),
	{uniqueViolation, "users_email"}: tsunagu.Errorf(tsunagu.CodeDuplicate, "input.email",
		"An account with this email address exists already."),
	{uniqueViolation, "municipalities_code_key"}: tsunagu.Errorf(tsunagu.CodeDuplicate, "input.code",
		"A municipality with this code exists already."),
	{uniqueViolation, "register_sessions_one_open"}: tsunagu.Errorf(tsunagu.CodeInvalidState, "input.registerId",
		"This register is open already; close its session first."),
	{uniqueViolation, "registers_shop_id_name_key"}: tsunagu.Errorf(tsunagu.CodeDuplicate, "input.name",
		"This shop has a register of that name already."),
	{checkViolation, "sale_lines_refunded"}: tsunagu.Errorf(tsunagu.CodeOverRefund, "input.lines",
		"More would be refunded than was sold."),
	{checkViolation, "transfer_lines_shipped_approved"}: tsunagu.Errorf(tsunagu.CodeOutOfRange, "input.lines",
		"More would ship than was approved."),
	{checkViolation, "transfer_lines_received_shipped"}: tsunagu.Errorf(tsunagu.CodeOutOfRange, "input.lines",
		"More would be received than was shipped."),
	{checkViolation, "transfers_check"}: tsunagu.Errorf(tsunagu.CodeInvalidInput, "input.toLocationId",
		"Goods cannot be transferred to the location they are at."),
	{exclusionViolation, "partnerships_no_overlap"}: tsunagu.Errorf(tsunagu.CodePartnershipOverlap, "input.from",
		"These municipalities are partners already on some of these days; end that partnership first, or begin this one after it ends."),
	// A row referred to is gone: deleted (or never there) between the check and the write.
	{foreignKeyViolation, ""}: tsunagu.Errorf(tsunagu.CodeNotFound, "",
		"Something this request refers to no longer exists; reload and try again."),
}

// mapDBError returns the domain error of a refusal listed in dbErrors (by
// constraint first, then by SQLSTATE alone); anything else is returned as it is, and
// shown to clients as an internal error. Every statement's error goes through it
// (counted.mapErr), and so does COMMIT's (transact).
func mapDBError(err error) error {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) {
		return err
	}
	if e, ok := dbErrors[dbErrorKey{pqErr.Code, pqErr.Constraint}]; ok {
		return copyError(e)
	}
	if e, ok := dbErrors[dbErrorKey{pqErr.Code, ""}]; ok {
		return copyError(e)
	}
	return err
}

// copyError returns a copy of e, so that no caller can change the table's.
func copyError(e *tsunagu.Error) *tsunagu.Error {
	c := *e
	return &c
}

// wrap prefixes an internal error with the operation that failed, for the log, as
// pkgsite's derrors.Wrap does: `defer wrap(&err, "POSService.CreateSale")`. Domain
// errors (what clients see) and nil pass as they are.
func wrap(errp *error, op string) {
	if *errp == nil {
		return
	}
	var e *tsunagu.Error
	if errors.As(*errp, &e) {
		return
	}
	*errp = fmt.Errorf("%s: %w", op, *errp)
}
