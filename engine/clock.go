package engine

import "time"

// Clock tells the engine the time. It is injected so that tests drive MAC
// aging with a fake clock instead of sleeping.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
