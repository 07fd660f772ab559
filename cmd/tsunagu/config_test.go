package main

import (
	"testing"
	"time"
)

// TestOrderReservationSetting: how long an unpaid order holds its stock is a
// setting, 30 minutes when unset.
func TestOrderReservationSetting(t *testing.T) {
	t.Setenv("TSUNAGU_ORDER_RESERVATION", "")
	if got := configFromEnv().reservation; got != 30*time.Minute {
		t.Errorf("default %v, want 30m", got)
	}
	t.Setenv("TSUNAGU_ORDER_RESERVATION", "10m")
	if got := configFromEnv().reservation; got != 10*time.Minute {
		t.Errorf("TSUNAGU_ORDER_RESERVATION=10m gave %v", got)
	}
}
