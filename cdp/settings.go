package cdp

import "fmt"

// Settings are the global CDP settings (`cdp run`, `cdp timer`, `cdp holdtime`,
// `cdp advertise-v2`). Each is independent of the others: a timer or holdtime set while CDP
// is off is kept and used once it runs again.
type Settings struct {
	Run         bool // `cdp run`
	Timer       int  // seconds between advertisements, `cdp timer <5-254>`
	Holdtime    int  // seconds neighbours keep us, `cdp holdtime <10-255>`
	AdvertiseV2 bool // send CDPv2 (else CDPv1), `cdp advertise-v2`
}

// Ranges and defaults, as on IOS.
const (
	MinTimer        = 5
	MaxTimer        = 254
	DefaultTimer    = 60
	MinHoldtime     = 10
	MaxHoldtime     = 255
	DefaultHoldtime = 180
)

// DefaultSettings returns IOS's defaults: running, every 60 s, holdtime 180 s, CDPv2.
func DefaultSettings() Settings {
	return Settings{Run: true, Timer: DefaultTimer, Holdtime: DefaultHoldtime, AdvertiseV2: true}
}

// ValidateTimer checks a `cdp timer` value.
func ValidateTimer(seconds int) error {
	if seconds < MinTimer || seconds > MaxTimer {
		return fmt.Errorf("cdp timer %d out of range <%d-%d>", seconds, MinTimer, MaxTimer)
	}
	return nil
}

// ValidateHoldtime checks a `cdp holdtime` value. IOS accepts a holdtime below the timer
// (neighbours then forget us between advertisements); so does this.
func ValidateHoldtime(seconds int) error {
	if seconds < MinHoldtime || seconds > MaxHoldtime {
		return fmt.Errorf("cdp holdtime %d out of range <%d-%d>", seconds, MinHoldtime, MaxHoldtime)
	}
	return nil
}
