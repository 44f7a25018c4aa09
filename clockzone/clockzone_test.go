package clockzone

import (
	"testing"
	"time"
	_ "time/tzdata" // the reference the rules are checked against
)

func mustRule(t *testing.T, w, d, m, at string) Rule {
	t.Helper()
	r, err := ParseRule(w, d, m, at)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Every hour of two years, IOS's rules for three zones give what the tz
// database gives: offset and name, across both transitions and, for
// Sydney, across the new year.
func TestRulesMatchTheTZDatabase(t *testing.T) {
	for _, tc := range []struct {
		loc   string
		clock Clock
	}{
		{"Europe/Berlin", Clock{Name: "CET", Offset: time.Hour, Summer: &Summer{Name: "CEST",
			Start: mustRule(t, "last", "Sun", "Mar", "2:00"), End: mustRule(t, "last", "Sun", "Oct", "3:00"), Offset: time.Hour}}},
		{"America/New_York", Clock{Name: "EST", Offset: -5 * time.Hour, Summer: &Summer{Name: "EDT",
			Start: USRules.Start, End: USRules.End, Offset: USRules.Offset}}},
		{"Australia/Sydney", Clock{Name: "AEST", Offset: 10 * time.Hour, Summer: &Summer{Name: "AEDT",
			Start: mustRule(t, "first", "Sunday", "October", "2:00"), End: mustRule(t, "1", "sun", "apr", "3:00"), Offset: time.Hour}}},
	} {
		ref, err := time.LoadLocation(tc.loc)
		if err != nil {
			t.Fatal(err)
		}
		bad := 0
		for ts := time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC); ts.Year() < 2028; ts = ts.Add(time.Hour) {
			got := tc.clock.Local(ts)
			want := ts.In(ref)
			gn, go_ := got.Zone()
			wn, wo := want.Zone()
			if gn != wn || go_ != wo {
				if bad++; bad < 5 {
					t.Errorf("%s at %v: %s %+d, want %s %+d", tc.loc, ts, gn, go_, wn, wo)
				}
			}
		}
	}
}

func TestParseRuleAndString(t *testing.T) {
	r := mustRule(t, "last", "SUN", "mar", "2:05")
	if r.String() != "last Sun Mar 2:05" {
		t.Errorf("%q", r.String())
	}
	for _, bad := range [][4]string{{"5", "Sun", "Mar", "2:00"}, {"1", "Su", "Mar", "2:00"}, {"1", "Sun", "Mar", "24:00"}, {"1", "Sun", "Mar", "2"}, {"1", "Sun", "Mar", "2:00junk"}, {"1", "Sun", "Mar", "+2:00"}} {
		if _, err := ParseRule(bad[0], bad[1], bad[2], bad[3]); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if (Clock{}).Local(time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)).Format("15:04 MST") != "12:00 UTC" {
		t.Error("the zero Clock is not UTC")
	}
}
