//go:build !linux

package engine

import (
	"errors"
	"log/slog"
)

// LinuxHostConfig configures NewLinuxHost.
type LinuxHostConfig struct {
	Logger *slog.Logger
}

// NewLinuxHost is only available on Linux.
func NewLinuxHost(LinuxHostConfig) (Host, error) {
	return nil, errors.New("the engine needs Linux (AF_PACKET)")
}

// ProbeKernelFastPath is only available on Linux.
func ProbeKernelFastPath() error { return errors.New("the kernel fast path needs Linux") }
