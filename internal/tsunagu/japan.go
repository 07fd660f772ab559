package tsunagu

import (
	"sync"
	"time"
)

// japanTime is Asia/Tokyo, or a fixed +09:00 zone where the system has no time zone
// data: Japan has kept +09:00 without daylight saving since 1951, so both print the
// same for any receipt.
var japanTime = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Tokyo"); err == nil {
		return loc
	}
	return time.FixedZone("JST", 9*60*60)
})

// JapanTime is Japan's time zone, in which people read dates and months.
func JapanTime() *time.Location { return japanTime() }
