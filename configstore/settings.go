package configstore

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"golang.org/x/sys/unix"
)

// DefaultSettingsFile is where lisad looks for its settings when --config
// does not name a file.
const DefaultSettingsFile = "/etc/lisa/lisad.toml"

// Settings are lisad's daemon settings, read from lisad.toml. Every key is
// optional; DefaultSettings has the defaults, doc.go and ExampleTOML explain
// each key. Settings are about the daemon; the switch's configuration lives
// in the startup-config.
type Settings struct {
	ConfigDir string         `toml:"config_dir"`
	RunDir    string         `toml:"run_dir"`
	LogLevel  string         `toml:"log_level"`
	LogFormat string         `toml:"log_format"`
	Engine    EngineSettings `toml:"engine"`
	Telnet    TelnetSettings `toml:"telnet"`
	SSH       SSHSettings    `toml:"ssh"`
	CDP       CDPSettings    `toml:"cdp"`
}

// EngineSettings tune the packet engine.
type EngineSettings struct {
	MACTableSize int `toml:"mac_table_size"` // entries
	MACAgingTime int `toml:"mac_aging_time"` // seconds, 0 = never; the running-config may override
	SocketRcvBuf int `toml:"socket_rcvbuf"`  // bytes, per port socket
	BatchSize    int `toml:"batch_size"`     // frames per receive/send call
	// FastPath lets the kernel switch known unicast between ports (tcx
	// programs kept in step with the MAC table); off, every frame goes
	// through lisad.
	FastPath bool `toml:"fast_path"`
}

// TelnetSettings configure the telnet door.
type TelnetSettings struct {
	Enabled bool   `toml:"enabled"`
	Listen  string `toml:"listen"`
}

// SSHSettings configure the SSH door.
type SSHSettings struct {
	Enabled bool   `toml:"enabled"`
	Listen  string `toml:"listen"`
	HostKey string `toml:"host_key"` // "" = ConfigDir/ssh_host_ed25519_key
}

// CDPSettings are what CDP announces about the host.
type CDPSettings struct {
	Platform        string `toml:"platform"`         // "" = the machine type (uname -m)
	SoftwareVersion string `toml:"software_version"` // "" = the built-in version string
}

// DefaultSettings returns the settings lisad runs with when lisad.toml is
// missing or empty.
func DefaultSettings() Settings {
	return Settings{
		ConfigDir: "/etc/lisa",
		RunDir:    "/run/lisa",
		LogLevel:  "info",
		LogFormat: "text",
		Engine: EngineSettings{
			MACTableSize: 16384,
			MACAgingTime: 300,
			SocketRcvBuf: 4 << 20,
			BatchSize:    32,
			FastPath:     true,
		},
		Telnet: TelnetSettings{Enabled: false, Listen: ":23"},
		SSH:    SSHSettings{Enabled: false, Listen: ":22"},
	}
}

// Overrides are the command-line flags of lisad that take precedence over
// lisad.toml. Empty fields were not given.
type Overrides struct {
	ConfigDir string // --config-dir
	RunDir    string // --run-dir
}

// Apply sets the fields that o gives. Call it after loading the file.
func (s *Settings) Apply(o Overrides) {
	if o.ConfigDir != "" {
		s.ConfigDir = o.ConfigDir
	}
	if o.RunDir != "" {
		s.RunDir = o.RunDir
	}
}

// SocketPath returns the path of the local session socket, RUN_DIR/lisa.sock.
func (s *Settings) SocketPath() string { return filepath.Join(s.RunDir, "lisa.sock") }

// SSHHostKeyPath returns ssh.host_key, or CONFIG_DIR/ssh_host_ed25519_key
// when it is empty (so that --config-dir moves the key with the config).
func (s *Settings) SSHHostKeyPath() string {
	if s.SSH.HostKey != "" {
		return s.SSH.HostKey
	}
	return filepath.Join(s.ConfigDir, "ssh_host_ed25519_key")
}

// CDPPlatform returns cdp.platform, or the machine type (uname -m, e.g.
// "x86_64") when it is empty.
func (s *Settings) CDPPlatform() string {
	if s.CDP.Platform != "" {
		return s.CDP.Platform
	}
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "unknown"
	}
	return unix.ByteSliceToString(u.Machine[:])
}

// SlogLevel returns log_level as a slog.Level.
func (s *Settings) SlogLevel() slog.Level {
	switch s.LogLevel {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// SettingsError is one problem in a settings file.
type SettingsError struct {
	File string // the file name as given
	Line int    // 1-based, 0 if unknown
	Key  string // dotted key ("engine.batch_size"), "" if none
	Msg  string
}

func (e *SettingsError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadSettings reads the settings file at path. A missing file gives the
// defaults unless mustExist is set, as it is when --config named the file.
func LoadSettings(path string, mustExist bool) (Settings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !mustExist {
			return DefaultSettings(), nil
		}
		return Settings{}, &SettingsError{File: path, Msg: Reason(err)}
	}
	return ParseSettings(path, data)
}

// ParseSettings parses the text of a settings file; name is used in error
// messages. Keys that are missing keep their defaults. Syntax errors, type
// errors, unknown keys and out-of-range values are errors that name the key
// and, where it can be found, the line; all the problems found are joined
// into one error.
func ParseSettings(name string, data []byte) (Settings, error) {
	s := DefaultSettings()
	md, err := toml.Decode(string(data), &s)
	if err != nil {
		return Settings{}, decodeError(name, err)
	}
	var errs []error
	undecoded := md.Undecoded()
	isUnknown := map[string]bool{}
	for _, k := range undecoded {
		isUnknown[k.String()] = true
	}
	for _, k := range undecoded {
		if len(k) > 1 && isUnknown[k[:len(k)-1].String()] {
			continue // inside an unknown table, which is reported itself
		}
		errs = append(errs, &SettingsError{File: name, Line: keyLine(data, k.String()), Key: k.String(), Msg: "unknown key"})
	}
	for _, p := range s.problems() {
		errs = append(errs, &SettingsError{File: name, Line: keyLine(data, p.key), Key: p.key, Msg: p.msg})
	}
	if len(errs) > 0 {
		return Settings{}, errors.Join(errs...)
	}
	return s, nil
}

// Validate checks every value, for settings built or changed in code (after
// Apply, say). ParseSettings already did it for what the file said.
func (s *Settings) Validate() error {
	var errs []error
	for _, p := range s.problems() {
		errs = append(errs, &SettingsError{File: "settings", Key: p.key, Msg: p.msg})
	}
	return errors.Join(errs...)
}

type problem struct{ key, msg string }

func (s *Settings) problems() []problem {
	var ps []problem
	add := func(key, format string, args ...any) { ps = append(ps, problem{key, fmt.Sprintf(format, args...)}) }
	if s.ConfigDir == "" {
		add("config_dir", "must not be empty")
	}
	if s.RunDir == "" {
		add("run_dir", "must not be empty")
	}
	switch s.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		add("log_level", "%q is not one of debug, info, warn, error", s.LogLevel)
	}
	switch s.LogFormat {
	case "text", "json":
	default:
		add("log_format", "%q is not one of text, json", s.LogFormat)
	}
	e := s.Engine
	if e.MACTableSize < 1 || e.MACTableSize > 1<<24 {
		add("engine.mac_table_size", "%d is out of range 1-%d", e.MACTableSize, 1<<24)
	}
	if e.MACAgingTime != 0 && (e.MACAgingTime < 10 || e.MACAgingTime > 1000000) {
		add("engine.mac_aging_time", "%d is out of range: 0 (never) or 10-1000000 seconds", e.MACAgingTime)
	}
	if e.SocketRcvBuf < 1 || e.SocketRcvBuf > 1<<30 {
		add("engine.socket_rcvbuf", "%d is out of range 1-%d bytes", e.SocketRcvBuf, 1<<30)
	}
	if e.BatchSize < 1 || e.BatchSize > 1024 {
		add("engine.batch_size", "%d is out of range 1-1024", e.BatchSize)
	}
	if msg := checkListen(s.Telnet.Listen); msg != "" {
		add("telnet.listen", "%s", msg)
	}
	if msg := checkListen(s.SSH.Listen); msg != "" {
		add("ssh.listen", "%s", msg)
	}
	return ps
}

// checkListen checks a listen address, "host:port" or ":port", with a
// numeric port.
func checkListen(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Sprintf("%q is not host:port (%v)", addr, strings.TrimPrefix(err.Error(), "address "+addr+": "))
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Sprintf("%q: port must be a number 1-65535", addr)
	}
	return ""
}

// The toml package reports type mismatches as plain errors of this shape.
var (
	tomlLineKeyError = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)
	tomlTypeMismatch = regexp.MustCompile(`incompatible types: TOML value has type (.+); destination has type (.+)$`)
)

// decodeError turns what toml.Decode returned into a SettingsError.
func decodeError(name string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &SettingsError{File: name, Line: pe.Position.Line, Key: pe.LastKey, Msg: pe.Message}
	}
	if m := tomlLineKeyError.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		msg := m[3]
		if t := tomlTypeMismatch.FindStringSubmatch(msg); t != nil {
			msg = fmt.Sprintf("wrong type: want %s, have %s", t[2], tomlTypeName(t[1]))
		}
		return &SettingsError{File: name, Line: line, Key: m[2], Msg: msg}
	}
	return &SettingsError{File: name, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

// tomlTypeName names the Go type the toml package decoded a value into by
// the TOML type a user wrote.
func tomlTypeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"):
		return "integer"
	case strings.HasPrefix(goType, "float"):
		return "float"
	case goType == "bool":
		return "boolean"
	case strings.HasPrefix(goType, "[]"):
		return "array"
	case strings.HasPrefix(goType, "map["):
		return "table"
	case goType == "time.Time":
		return "datetime"
	}
	return goType
}

// keyLine finds the line that defines a dotted key in a settings file: a
// "key = value" line under its [table] header, or the header of a table.
// It understands the plain layout of lisad.toml (no inline tables, no
// quoted keys) and returns 0 when it cannot tell.
func keyLine(data []byte, key string) int {
	table := ""
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") && !strings.HasPrefix(line, "[[") {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				continue
			}
			table = strings.TrimSpace(line[1:end])
			if table == key {
				return n
			}
			continue
		}
		eq := strings.IndexByte(line, '=')
		if eq <= 0 || line[0] == '#' {
			continue
		}
		full := strings.ReplaceAll(strings.TrimSpace(line[:eq]), " ", "")
		if table != "" {
			full = table + "." + full
		}
		if full == key {
			return n
		}
	}
	return 0
}
