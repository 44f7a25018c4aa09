package configstore

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestExampleTOMLIsTheDefaults(t *testing.T) {
	s, err := ParseSettings("example", []byte(ExampleTOML))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, DefaultSettings()) {
		t.Errorf("ExampleTOML = %+v\nDefaultSettings = %+v", s, DefaultSettings())
	}
}

// TestEveryKeyDocumented checks that every key of Settings is set in
// ExampleTOML and listed in the table of doc.go.
func TestEveryKeyDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			key := f.Tag.Get("toml")
			if f.Type.Kind() == reflect.Struct {
				if !strings.Contains(ExampleTOML, "\n["+key+"]\n") || !strings.Contains(string(doc), "//\t["+key+"]\n") {
					t.Errorf("table [%s] missing from ExampleTOML or doc.go", key)
				}
				walk(key+".", f.Type)
				continue
			}
			if !strings.Contains(ExampleTOML, "\n"+key+" = ") {
				t.Errorf("%s%s missing from ExampleTOML", prefix, key)
			}
			if !strings.Contains(string(doc), "//\t"+key+" ") {
				t.Errorf("%s%s missing from the table in doc.go", prefix, key)
			}
		}
	}
	walk("", reflect.TypeOf(Settings{}))
}

func TestParseSettings(t *testing.T) {
	s, err := ParseSettings("lisad.toml", []byte(`
log_level = "debug"
[engine]
mac_aging_time = 0
batch_size = 64
[telnet]
enabled = true
listen = "127.0.0.1:2323"
[ssh]
host_key = "/srv/key"
[cdp]
platform = "LiSA"
`))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultSettings()
	want.LogLevel = "debug"
	want.Engine.MACAgingTime = 0
	want.Engine.BatchSize = 64
	want.Telnet = TelnetSettings{Enabled: true, Listen: "127.0.0.1:2323"}
	want.SSH.HostKey = "/srv/key"
	want.CDP.Platform = "LiSA"
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
	if s, err := ParseSettings("empty", nil); err != nil || !reflect.DeepEqual(s, DefaultSettings()) {
		t.Errorf("empty file: %+v, %v", s, err)
	}
}

func TestParseSettingsErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		msgs []string // one error message per problem, in order
	}{
		{"unknown top-level key", "log_level = \"info\"\nlog_levle = \"debug\"\n",
			[]string{`lisad.toml:2: log_levle: unknown key`}},
		{"unknown key in a table", "[engine]\nmac_table_size = 10\nmac_tabel_size = 5\n",
			[]string{`lisad.toml:3: engine.mac_tabel_size: unknown key`}},
		{"unknown table reported once", "[vty]\npassword = \"x\"\nlines = 5\n",
			[]string{`lisad.toml:1: vty: unknown key`}},
		{"dotted unknown key", "telnet.port = 23\n", []string{`lisad.toml:1: telnet.port: unknown key`}},
		{"wrong type", "[engine]\n\nmac_table_size = \"big\"\n",
			[]string{`lisad.toml:3: engine.mac_table_size: wrong type: want integer, have string`}},
		{"wrong type at top level", "run_dir = 5\n", []string{`lisad.toml:1: run_dir: wrong type: want string, have integer`}},
		{"bool as string", "[ssh]\nenabled = \"yes\"\n", []string{`lisad.toml:2: ssh.enabled: wrong type: want boolean, have string`}},
		{"syntax error", "log_level = \"info\"\nlog_format = = 1\n", nil},
		{"bad values", `log_level = "verbose"
log_format = "xml"
config_dir = ""
[engine]
mac_table_size = 0
mac_aging_time = 5
socket_rcvbuf = -1
batch_size = 4096
[telnet]
listen = "23"
[ssh]
listen = ":ssh"
`, []string{
			`lisad.toml:3: config_dir: must not be empty`,
			`lisad.toml:1: log_level: "verbose" is not one of debug, info, warn, error`,
			`lisad.toml:2: log_format: "xml" is not one of text, json`,
			`lisad.toml:5: engine.mac_table_size: 0 is out of range 1-16777216`,
			`lisad.toml:6: engine.mac_aging_time: 5 is out of range: 0 (never) or 10-1000000 seconds`,
			`lisad.toml:7: engine.socket_rcvbuf: -1 is out of range 1-1073741824 bytes`,
			`lisad.toml:8: engine.batch_size: 4096 is out of range 1-1024`,
			`lisad.toml:10: telnet.listen: "23" is not host:port (missing port in address)`,
			`lisad.toml:12: ssh.listen: ":ssh": port must be a number 1-65535`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSettings("lisad.toml", []byte(tt.text))
			if err == nil {
				t.Fatal("no error")
			}
			var se *SettingsError
			if !errors.As(err, &se) {
				t.Fatalf("%v is not a *SettingsError", err)
			}
			if tt.msgs == nil { // syntax errors: the toml package words them
				if se.Line != 2 || !strings.HasPrefix(err.Error(), "lisad.toml:2: ") {
					t.Errorf("syntax error %q does not point at line 2", err)
				}
				return
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.msgs) {
				t.Errorf("errors:\n%s\nwant:\n%s", err, strings.Join(tt.msgs, "\n"))
			}
		})
	}
}

func TestLoadSettings(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "lisad.toml")
	if s, err := LoadSettings(missing, false); err != nil || !reflect.DeepEqual(s, DefaultSettings()) {
		t.Errorf("missing default file: %+v, %v", s, err)
	}
	if _, err := LoadSettings(missing, true); err == nil ||
		err.Error() != missing+": no such file or directory" {
		t.Errorf("missing --config file: %v", err)
	}
	os.WriteFile(missing, []byte("config_dir = \"/srv/lisa\"\nrun_dir = \"/tmp/r\"\n"), 0o600)
	s, err := LoadSettings(missing, true)
	if err != nil {
		t.Fatal(err)
	}
	// Flags win over the file; flags not given leave it alone.
	s.Apply(Overrides{RunDir: "/run/other"})
	if s.ConfigDir != "/srv/lisa" || s.RunDir != "/run/other" {
		t.Errorf("after Apply: %s %s", s.ConfigDir, s.RunDir)
	}
	s.Apply(Overrides{ConfigDir: "/etc/x"})
	if s.ConfigDir != "/etc/x" || s.SSHHostKeyPath() != "/etc/x/ssh_host_ed25519_key" {
		t.Errorf("host key follows --config-dir: %s", s.SSHHostKeyPath())
	}
	if s.SocketPath() != "/run/other/lisa.sock" {
		t.Errorf("SocketPath = %s", s.SocketPath())
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	s.Apply(Overrides{})
	s.ConfigDir = ""
	if err := s.Validate(); err == nil || err.Error() != "settings: config_dir: must not be empty" {
		t.Errorf("Validate of an empty config_dir: %v", err)
	}
}

func TestSettingsDerived(t *testing.T) {
	s := DefaultSettings()
	if s.CDPPlatform() == "" {
		t.Error("no platform from uname")
	}
	s.CDP.Platform = "Xen host"
	if s.CDPPlatform() != "Xen host" {
		t.Error("platform setting ignored")
	}
	s.SSH.HostKey = "/k"
	if s.SSHHostKeyPath() != "/k" {
		t.Error("host_key setting ignored")
	}
	for level, want := range map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo,
		"warn": slog.LevelWarn, "error": slog.LevelError} {
		s.LogLevel = level
		if s.SlogLevel() != want {
			t.Errorf("SlogLevel(%s) = %v", level, s.SlogLevel())
		}
	}
}
