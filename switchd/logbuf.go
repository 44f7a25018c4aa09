package switchd

import (
	"fmt"
	"log/slog"
	"sync"
)

// Logging buffer sizes, in bytes as IOS counts them (logging buffered SIZE):
// the buffer keeps the newest messages whose text, a newline each, fits.
const (
	defaultLogBufferSize = 4096 // a Catalyst's default, "Log Buffer (4096 bytes)"
	minLogBufferSize     = 4096
)

// logBuffer is the logging buffer (show logging) and the logging settings
// (logging buffered, logging console, logging monitor). It has its own lock:
// messages are logged with or without the switch's lock held. The zero value
// is the default: buffering on at the default size, console and monitor on.
type logBuffer struct {
	mu sync.Mutex
	// msgs[start:] are the buffered messages, oldest first; bytes is their
	// size (each with its newline).
	msgs  []string
	start int
	bytes int

	// size is the buffer size in bytes; 0 is the default.
	size int
	// bufferOff, consoleOff, monitorOff are the "no logging ..." settings.
	bufferOff, consoleOff, monitorOff bool

	// Messages logged since lisad started: in all, to the buffer, for the
	// console and for vty lines (with terminal monitor).
	logged, buffered, console, monitor int
}

// logSettings are the logging lines of the running-config.
type logSettings struct {
	size                              int
	bufferOff, consoleOff, monitorOff bool
}

func (b *logBuffer) settings() logSettings {
	b.mu.Lock()
	defer b.mu.Unlock()
	return logSettings{size: b.size, bufferOff: b.bufferOff, consoleOff: b.consoleOff, monitorOff: b.monitorOff}
}

func (b *logBuffer) bufferSize() int {
	if b.size == 0 {
		return defaultLogBufferSize
	}
	return b.size
}

// add records a message (a whole line, timestamp included, without newline)
// and reports whether console and vty lines should show it.
func (b *logBuffer) add(msg string) (toConsole, toMonitor bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.logged++
	if !b.consoleOff {
		b.console++
	}
	if !b.monitorOff {
		b.monitor++
	}
	if !b.bufferOff {
		b.buffered++
		b.msgs = append(b.msgs, msg)
		b.bytes += len(msg) + 1
		b.trim()
	}
	return !b.consoleOff, !b.monitorOff
}

// trim drops the oldest messages until the rest fit. The caller holds mu.
func (b *logBuffer) trim() {
	limit := b.bufferSize()
	for b.bytes > limit && b.start < len(b.msgs) {
		b.bytes -= len(b.msgs[b.start]) + 1
		b.msgs[b.start] = ""
		b.start++
	}
	// Compact once the dropped head is as large as what is kept.
	if b.start > 0 && b.start >= len(b.msgs)-b.start {
		b.msgs = append([]string(nil), b.msgs[b.start:]...)
		b.start = 0
	}
}

// clear empties the buffer (clear logging).
func (b *logBuffer) clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs, b.start, b.bytes = nil, 0, 0
}

// setBuffered turns buffering on at a size (0 = the default) or off
// (size < 0). Turning it off discards what the buffer held, as IOS does.
func (b *logBuffer) setBuffered(size int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if size < 0 {
		b.bufferOff, b.size = true, 0
		b.msgs, b.start, b.bytes = nil, 0, 0
		return
	}
	b.bufferOff, b.size = false, size
	if size == defaultLogBufferSize {
		b.size = 0
	}
	b.trim()
}

func (b *logBuffer) setConsole(on bool) {
	b.mu.Lock()
	b.consoleOff = !on
	b.mu.Unlock()
}

func (b *logBuffer) setMonitor(on bool) {
	b.mu.Lock()
	b.monitorOff = !on
	b.mu.Unlock()
}

// reset returns the settings to their defaults (reload); the messages stay.
func (b *logBuffer) reset() {
	b.setConsole(true)
	b.setMonitor(true)
	b.setBuffered(0)
}

// configLines are the running-config lines of the settings that differ from
// the defaults.
func (b *logBuffer) configLines() []string {
	st := b.settings()
	var l []string
	switch {
	case st.bufferOff:
		l = append(l, "no logging buffered")
	case st.size != 0:
		l = append(l, fmt.Sprintf("logging buffered %d", st.size))
	}
	if st.consoleOff {
		l = append(l, "no logging console")
	}
	if st.monitorOff {
		l = append(l, "no logging monitor")
	}
	return l
}

// show renders show logging, IOS style.
func (b *logBuffer) show(trap func(logged int) string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var o []byte
	o = fmt.Appendf(o, "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)\n\n")
	dest := func(name string, off bool, n int, pad string) {
		if off {
			o = fmt.Appendf(o, "    %s disabled\n", name)
			return
		}
		o = fmt.Appendf(o, "    %s level debugging, %d messages logged, xml disabled,\n%sfiltering disabled\n", name, n, pad)
	}
	dest("Console logging:", b.consoleOff, b.console, "                     ")
	dest("Monitor logging:", b.monitorOff, b.monitor, "                     ")
	dest("Buffer logging: ", b.bufferOff, b.buffered, "                    ")
	o = fmt.Appendf(o, "    Count and timestamp logging messages: disabled\n")
	o = fmt.Appendf(o, "    Persistent logging: disabled\n")
	o = append(o, trap(b.logged)...)
	if !b.bufferOff {
		o = fmt.Appendf(o, "\nLog Buffer (%d bytes):\n\n", b.bufferSize())
		for _, m := range b.msgs[b.start:] {
			o = append(append(o, m...), '\n')
		}
	}
	return string(o)
}

// slogLevel is the log/slog level of an IOS severity: 0-3 (emergencies to
// errors) Error, 4 (warnings) Warn, 5-6 (notifications, informational)
// Info, 7 (debugging) Debug.
func slogLevel(sev int) slog.Level {
	switch {
	case sev <= 3:
		return slog.LevelError
	case sev == 4:
		return slog.LevelWarn
	case sev <= 6:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
