package switchd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

// Catalyst configurations written for the suite (testdata/catalyst, the
// interface names mapped to netdevs): each loads as a startup-config with no
// line refused, and write memory + reload gives the same running-config.
func TestCatalystCorpusLoadsAndRoundTrips(t *testing.T) {
	files, _ := filepath.Glob("testdata/catalyst/*.txt")
	if len(files) == 0 {
		t.Fatal("no corpus")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			store := configstore.NewStore(t.TempDir() + "/etc-lisa")
			if _, err := store.Prepare(); err != nil {
				t.Fatal(err)
			}
			if err := store.WriteStartup(string(text)); err != nil {
				t.Fatal(err)
			}
			host := enginetest.NewHost()
			for i, l := range []string{"eth0", "eth1", "eth2", "eth3", "vif1.0"} {
				host.AddLink(l, engine.MAC{0x02, 0x11, 0x22, 0x33, 0x55, byte(i + 1)})
			}
			r := newRigOn(t, host, store, "")
			if errs := r.sw.LoadStartup(); len(errs) > 0 {
				for _, e := range errs {
					t.Errorf("refused: %+v", e)
				}
			}
			body := r.runningBody()
			r.run("write memory")
			r.sw.Close()
			r.eng.Close()
			r2 := newRigOn(t, r.host, store, "")
			if errs := r2.sw.LoadStartup(); len(errs) > 0 {
				t.Fatalf("reload refused: %+v", errs)
			}
			if after := r2.runningBody(); after != body {
				t.Errorf("reloaded running-config differs:\n%s\n--- before ---\n%s", firstDiff(after, body), body)
			}
			// Every line of the corpus that is not a comment, a header or
			// a default is in the running-config.
			for _, l := range strings.Split(string(text), "\n") {
				l = strings.TrimRight(l, " ")
				if skipCorpusLine(l) {
					continue
				}
				if n, ok := corpusNormalized[l]; ok {
					l = n // the form IOS 15 shows
				}
				if !strings.Contains(body, "\n"+l+"\n") && !strings.HasPrefix(body, l+"\n") {
					t.Errorf("line lost: %q", l)
				}
			}
		})
	}
}

// corpusNormalized are lines an older IOS wrote that IOS 15, and lisad,
// show in their newer form.
var corpusNormalized = map[string]string{
	"logging 198.51.100.20": "logging host 198.51.100.20",
}

// skipCorpusLine: lines that are not kept as written (headers, comments,
// secrets IOS re-hashes, defaults IOS does not show).
func skipCorpusLine(l string) bool {
	t := strings.TrimSpace(l)
	for _, p := range []string{"!", "Building ", "Current configuration", "end", "enable secret", "username ", " password 7", "password 7"} {
		if t == "" || strings.HasPrefix(t, p) || strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}
