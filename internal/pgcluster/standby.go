package pgcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// BaseBackup copies the running cluster into dir with pg_basebackup -R (streaming
// the write-ahead log it needs, and writing standby.signal and primary_conninfo),
// as the cluster's owner, so that Start on dir runs a streaming standby of it. dir
// must not exist; BaseBackup makes it for the owner.
func (c *Cluster) BaseBackup(ctx context.Context, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("pgcluster: %s exists: pg_basebackup wants a new folder", dir)
	}
	// An empty folder the owner holds, in parents the owner can enter.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := c.owner.chown(dir); err != nil {
		return err
	}
	out, err := c.command(ctx, "pg_basebackup", "-D", dir, "-R", "-X", "stream", "-c", "fast",
		"-h", c.socketDir, "-p", strconv.Itoa(c.port), "-U", "postgres").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgcluster: pg_basebackup: %w: %s", err, trimOut(out))
	}
	return nil
}

// Halt stops the server (pg_ctl stop -m fast) and keeps its data, for Resume to
// start it again: an outage, as a test makes one.
func (c *Cluster) Halt(ctx context.Context) error { return c.pgStop(ctx) }

// Resume starts a server Halt stopped.
func (c *Cluster) Resume(ctx context.Context) error { return c.start(ctx) }
