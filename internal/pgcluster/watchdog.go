package pgcluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// A watchdog removes a Temporary cluster when the process that started it ends,
// however it ends: a Go process killed by SIGKILL runs no deferred code, and the
// postmaster, which pg_ctl starts in a session of its own, would otherwise outlive
// it along with its folders.
//
// The watchdog is a small shell process, in a session of its own so that a Ctrl-C
// reaching the test's process group does not end it first. Its stdin is the read
// end of a pipe whose only write end this process holds (with close-on-exec, so
// no other child inherits it). The kernel closes that end when the process dies,
// and Stop closes it too, so the watchdog wakes at once without polling and
// without any risk of a reused PID. It then stops the postmaster named in
// postmaster.pid, if one still runs, with SIGQUIT (an immediate shutdown),
// escalating to SIGKILL after 10 seconds, and removes the folders.
//
// Its stdout and stderr are /dev/null: holding the test binary's output pipes
// open would make `go test` wait for the watchdog.
type watchdog struct {
	cmd  *exec.Cmd
	pipe *os.File
}

// watchdogScript takes the data folder as $1, the folder to remove if left empty
// as $2, and further folders to remove. It reads /proc/<pid>/comm and stat, where
// there are such, so as never to signal a process that merely inherited a stale
// PID, nor to wait on a zombie that no init reaps. (A failed redirection of a plain
// "read" does not end the shell; that of a { } group would, skipping the removal.)
const watchdogScript = `
while read -r _; do :; done
data=$1 parent=$2
shift 2
n=0
while [ $n -lt 200 ] && [ -f "$data/postmaster.pid" ]; do
	pid=
	read -r pid <"$data/postmaster.pid"
	case $pid in '' | *[!0-9]*) break ;; esac
	kill -0 "$pid" 2>/dev/null || break
	comm=
	read -r comm <"/proc/$pid/comm"
	[ -z "$comm" ] || [ "$comm" = postgres ] || break
	state=
	read -r _ _ state _ <"/proc/$pid/stat"
	[ "$state" != Z ] || break
	if [ $n -lt 100 ]; then kill -QUIT "$pid"; else kill -KILL "$pid"; fi
	sleep 0.1
	n=$((n + 1))
done
rm -rf "$data" "$@"
rmdir "$parent"
exit 0
`

// startWatchdog starts the watchdog of the cluster in dataDir; it also removes
// the folders in extra.
func startWatchdog(dataDir string, extra []string) (*watchdog, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("pgcluster: watchdog: %w", err)
	}
	defer r.Close()
	args := append([]string{"-c", watchdogScript, "pgcluster-watchdog", dataDir, filepath.Dir(dataDir)}, extra...)
	cmd := exec.Command("/bin/sh", args...)
	cmd.Stdin = r // an *os.File is handed over as is, with no copying goroutine
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("pgcluster: watchdog: %w", err)
	}
	return &watchdog{cmd: cmd, pipe: w}, nil
}

// finish wakes the watchdog and waits up to timeout for it to finish its cleanup,
// then kills it.
func (wd *watchdog) finish(timeout time.Duration) error {
	wd.pipe.Close()
	done := make(chan error, 1)
	go func() { done <- wd.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("pgcluster: watchdog: %w", err)
		}
		return nil
	case <-time.After(timeout):
		wd.cmd.Process.Kill()
		<-done
		return fmt.Errorf("pgcluster: watchdog did not finish within %v", timeout)
	}
}
