// Package clockzone is IOS's notion of local time: a fixed zone (clock
// timezone NAME H M) and, optionally, a summer time that recurs every year
// (clock summer-time NAME recurring WEEK DAY MONTH HH:MM WEEK DAY MONTH
// HH:MM [OFFSET]). It is pure computation on an injected time, so tests need
// no tz database and no waiting.
package clockzone

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rule is one yearly transition: the WEEKth (1-4, or Last) WEEKDAY of MONTH
// at a local time of day.
type Rule struct {
	Week    int // 1-4, or Last
	Weekday time.Weekday
	Month   time.Month
	At      time.Duration // since local midnight
}

// Last is the week of "last Sun Mar".
const Last = 5

// Summer is a recurring summer time.
type Summer struct {
	Name       string
	Start, End Rule
	Offset     time.Duration // added to the zone's; IOS's default is 60 minutes
}

// USRules are IOS's default for "clock summer-time NAME recurring": the
// United States' rules since 2007.
var USRules = Summer{
	Start:  Rule{Week: 2, Weekday: time.Sunday, Month: time.March, At: 2 * time.Hour},
	End:    Rule{Week: 1, Weekday: time.Sunday, Month: time.November, At: 2 * time.Hour},
	Offset: time.Hour,
}

// Clock is the configured local time. The zero Clock is UTC.
type Clock struct {
	Name   string        // "" is UTC
	Offset time.Duration // east of UTC
	Summer *Summer
}

// ZoneName is the standard zone's name.
func (c Clock) ZoneName() string {
	if c.Name == "" {
		return "UTC"
	}
	return c.Name
}

// Local is t in the clock's local time, in a fixed zone named as IOS names
// it (the summer name while summer time is on).
func (c Clock) Local(t time.Time) time.Time {
	if c.InSummer(t) {
		return t.In(time.FixedZone(c.Summer.Name, int((c.Offset + c.Summer.Offset).Seconds())))
	}
	return t.In(time.FixedZone(c.ZoneName(), int(c.Offset.Seconds())))
}

// InSummer reports whether summer time is on at t.
func (c Clock) InSummer(t time.Time) bool {
	if c.Summer == nil {
		return false
	}
	std := t.UTC().Add(c.Offset) // local standard time, as a UTC wall clock
	year := std.Year()
	start := c.Summer.Start.instant(year)                   // in standard time
	end := c.Summer.End.instant(year).Add(-c.Summer.Offset) // the end is given in summer time
	if start.Before(end) {
		return !std.Before(start) && std.Before(end)
	}
	// Southern hemisphere: summer spans the new year.
	return !std.Before(start) || std.Before(end)
}

// instant is the rule's moment in year, as a UTC wall clock.
func (r Rule) instant(year int) time.Time {
	var day time.Time
	if r.Week == Last {
		day = time.Date(year, r.Month+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		for day.Weekday() != r.Weekday {
			day = day.AddDate(0, 0, -1)
		}
	} else {
		day = time.Date(year, r.Month, 1, 0, 0, 0, 0, time.UTC)
		for day.Weekday() != r.Weekday {
			day = day.AddDate(0, 0, 1)
		}
		day = day.AddDate(0, 0, 7*(r.Week-1))
	}
	return day.Add(r.At)
}

// String renders the rule as IOS writes it: "last Sun Mar 2:00".
func (r Rule) String() string {
	week := "last"
	if r.Week != Last {
		week = fmt.Sprint(r.Week)
	}
	m := int(r.At / time.Minute)
	return fmt.Sprintf("%s %s %s %d:%02d", week, r.Weekday.String()[:3], r.Month.String()[:3], m/60, m%60)
}

// ParseRule reads "WEEK DAY MONTH HH:MM" as IOS takes them: week 1-4, first
// or last; day and month by their first three letters, any case.
func ParseRule(week, day, month, at string) (Rule, error) {
	var r Rule
	switch week {
	case "first":
		r.Week = 1
	case "last":
		r.Week = Last
	default:
		if _, err := fmt.Sscanf(week, "%d", &r.Week); err != nil || r.Week < 1 || r.Week > 4 {
			return r, fmt.Errorf("invalid week %q (1-4, first or last)", week)
		}
	}
	found := false
	for d := time.Sunday; d <= time.Saturday; d++ {
		if equalFold3(day, d.String()) {
			r.Weekday, found = d, true
		}
	}
	if !found {
		return r, fmt.Errorf("invalid day %q", day)
	}
	found = false
	for m := time.January; m <= time.December; m++ {
		if equalFold3(month, m.String()) {
			r.Month, found = m, true
		}
	}
	if !found {
		return r, fmt.Errorf("invalid month %q", month)
	}
	hs, ms, ok := strings.Cut(at, ":")
	h, err1 := strconv.Atoi(hs)
	min, err2 := strconv.Atoi(ms)
	digits := func(t string) bool { return t != "" && strings.Trim(t, "0123456789") == "" }
	if !ok || err1 != nil || err2 != nil || !digits(hs) || len(ms) != 2 || !digits(ms) || h > 23 || min > 59 {
		return r, fmt.Errorf("invalid time %q (hh:mm)", at)
	}
	r.At = time.Duration(h)*time.Hour + time.Duration(min)*time.Minute
	return r, nil
}

// equalFold3 matches a day or month given by at least its first three
// letters.
func equalFold3(given, name string) bool {
	if len(given) < 3 || len(given) > len(name) {
		return false
	}
	for i := 0; i < len(given); i++ {
		a, b := given[i]|0x20, name[i]|0x20
		if a != b {
			return false
		}
	}
	return true
}
