// Command testreport reads `go test -json` on its standard input and writes
// what a person wants from a test run: one line per package, the output of
// every test that failed (not the thousands of lines of those that passed),
// and a closing count. It exits 1 when a test or a package failed.
//
//	go test -json ./... | go run ./scripts/testreport -counts FILE
//
// -counts writes "PASSED FAILED SKIPPED" to FILE, for scripts/check's
// summary.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Time    time.Time
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

type testKey struct{ pkg, test string }

// report accumulates a run. Output is kept per test until the test ends, so
// only a failing test's output is printed, and printed whole.
type report struct {
	w       io.Writer
	output  map[testKey][]string
	tests   map[string]int // per package: tests that ended
	passed  int
	failed  int
	skipped int
	failing []string
	pkgFail []string
	skips   []string // "pkg Test: reason"
}

func newReport(w io.Writer) *report {
	return &report{w: w, output: map[testKey][]string{}, tests: map[string]int{}}
}

func (r *report) add(e event) {
	k := testKey{e.Package, e.Test}
	switch e.Action {
	case "output":
		r.output[k] = append(r.output[k], e.Output)
		return
	case "run":
		// A test that starts and never ends (its package died) is
		// counted as failed by close, even if it printed nothing.
		if _, seen := r.output[k]; !seen {
			r.output[k] = []string{}
		}
		return
	case "pass", "fail", "skip":
	default:
		return
	}
	if e.Test == "" {
		r.endPackage(e)
		return
	}
	r.tests[e.Package]++
	switch e.Action {
	case "pass":
		r.passed++
	case "skip":
		r.skipped++
		r.skips = append(r.skips, e.Package+" "+e.Test+": "+skipReason(r.output[k]))
	case "fail":
		r.failed++
		name := e.Package + " " + e.Test
		r.failing = append(r.failing, name)
		fmt.Fprintf(r.w, "--- FAIL: %s (%.2fs)\n", name, e.Elapsed)
		for _, line := range r.output[k] {
			if !strings.HasPrefix(line, "=== ") {
				fmt.Fprint(r.w, "    ", line)
			}
		}
	}
	delete(r.output, k)
}

func (r *report) endPackage(e event) {
	k := testKey{e.Package, ""}
	switch e.Action {
	case "fail":
		r.pkgFail = append(r.pkgFail, e.Package)
		fmt.Fprintf(r.w, "FAIL %s (%.1fs)\n", e.Package, e.Elapsed)
		// A package that failed outside any test (a build error, a panic,
		// a timeout) says why only in its own output.
		for _, line := range r.output[k] {
			if line != "FAIL\n" && !strings.HasPrefix(line, "FAIL\t") && !strings.HasPrefix(line, "--- FAIL") {
				fmt.Fprint(r.w, "    ", line)
			}
		}
	default:
		note := ""
		if r.tests[e.Package] == 0 {
			note = ", no tests"
		}
		fmt.Fprintf(r.w, "ok   %s (%.1fs%s)\n", e.Package, e.Elapsed, note)
	}
	delete(r.output, k)
}

func (r *report) close() {
	// A test that started and never ended belongs to a package that died.
	var open []string
	for k := range r.output {
		if k.test != "" {
			open = append(open, k.pkg+" "+k.test)
		}
	}
	sort.Strings(open)
	for _, name := range open {
		r.failed++
		r.failing = append(r.failing, name+" (did not end)")
	}
	fmt.Fprintf(r.w, "\ngo test: %d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
	for _, name := range r.failing {
		fmt.Fprintf(r.w, "  failed: %s\n", name)
	}
	for _, s := range r.skips {
		fmt.Fprintf(r.w, "  skipped: %s\n", s)
	}
	for _, p := range r.pkgFail {
		fmt.Fprintf(r.w, "  package failed: %s\n", p)
	}
}

// skipReason is the message a skipped test gave (t.Skip's line, without
// its file:line), or "no reason given".
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "--- SKIP") || strings.HasPrefix(l, "=== ") {
			continue
		}
		if _, msg, ok := strings.Cut(l, ": "); ok && strings.Contains(l[:strings.Index(l, ": ")], ".go:") {
			return msg
		}
		return l
	}
	return "no reason given"
}

func (r *report) ok() bool { return r.failed == 0 && len(r.pkgFail) == 0 }

func main() {
	counts := flag.String("counts", "", "write `FILE` with the passed, failed and skipped counts")
	flag.Parse()
	r := newReport(os.Stdout)
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			// go test writes build errors as plain text before any JSON.
			fmt.Fprintln(os.Stdout, sc.Text())
			continue
		}
		r.add(e)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stdout, "testreport:", err)
		r.pkgFail = append(r.pkgFail, "(reading go test's output: "+err.Error()+")")
	}
	r.close()
	if *counts != "" {
		failed := r.failed
		if failed == 0 && len(r.pkgFail) > 0 {
			failed = len(r.pkgFail)
		}
		if err := os.WriteFile(*counts, fmt.Appendf(nil, "%d %d %d\n", r.passed, failed, r.skipped), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "testreport:", err)
			os.Exit(2)
		}
	}
	if !r.ok() {
		os.Exit(1)
	}
}
