// Package gcpace sets how often the garbage collector of the API's process runs.
//
// Why: the server keeps little in memory (a few MB live: the facilities and
// municipalities, the verified tokens, the catalog cache, at most 64 MB) while a
// busy one allocates hundreds of MB a second (an uncached catalog page is about
// 114 kB). At Go's default GOGC=100 the heap's goal is twice the live heap, at
// least 4 MB: make bench's uncached catalog ran about 140 collections a second
// (GODEBUG=gctrace=1), and each one's marking and assists took a third of the
// API's throughput. At 400 the goal is five times the live heap: the same case
// served 1,450-1,650 pages/s at 100 and 2,150-2,750 at 400 (README, Benchmark,
// "The sixteenth session"). The price is memory: at most five times the live heap
// instead of twice, tens of MB on a server like ours.
package gcpace

import (
	"os"
	"runtime/debug"
)

// Percent is the API's GOGC: a collection when the heap has grown by this
// percentage of what the last one left live.
const Percent = 400

// Set sets the collector's percentage to Percent, unless the operator chose one
// with GOGC (which the runtime has applied already); a GOMEMLIMIT still caps the
// heap either way. It returns the percentage in force, -1 for off.
func Set() int {
	if os.Getenv("GOGC") != "" {
		return inForce()
	}
	debug.SetGCPercent(Percent)
	return Percent
}

// inForce is the collector's percentage in force (-1 for off): the runtime reports
// it only as what SetGCPercent replaces, so it is put back at once.
func inForce() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}
