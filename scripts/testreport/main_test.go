package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReportCountsAndNamesFailuresAndSkips(t *testing.T) {
	events := []event{
		{Action: "run", Package: "p", Test: "TestA"},
		{Action: "output", Package: "p", Test: "TestA", Output: "=== RUN   TestA\n"},
		{Action: "pass", Package: "p", Test: "TestA"},
		{Action: "run", Package: "p", Test: "TestB"},
		{Action: "output", Package: "p", Test: "TestB", Output: "    b_test.go:9: want 3, got 2\n"},
		{Action: "fail", Package: "p", Test: "TestB"},
		{Action: "run", Package: "p", Test: "TestC"},
		{Action: "output", Package: "p", Test: "TestC", Output: "    c_test.go:4: needs /usr/bin/python3\n"},
		{Action: "output", Package: "p", Test: "TestC", Output: "--- SKIP: TestC (0.00s)\n"},
		{Action: "skip", Package: "p", Test: "TestC"},
		{Action: "run", Package: "p", Test: "TestD"},
		{Action: "fail", Package: "p"},
	}
	var b strings.Builder
	r := newReport(&b)
	for _, e := range events {
		// Round-trip through JSON as go test -json writes it.
		raw, _ := json.Marshal(e)
		var back event
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		r.add(back)
	}
	r.close()
	out := b.String()
	for _, want := range []string{
		"--- FAIL: p TestB", "b_test.go:9: want 3, got 2",
		"go test: 1 passed, 2 failed, 1 skipped",
		"failed: p TestD (did not end)", "skipped: p TestC: needs /usr/bin/python3", "package failed: p",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if r.ok() {
		t.Error("a report with failures is ok")
	}
}
