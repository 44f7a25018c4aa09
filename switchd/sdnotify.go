package switchd

import (
	"net"
	"os"
)

// sdNotify tells systemd (Type=notify) about lisad's state, e.g. "READY=1":
// one datagram to the unix socket named by $NOTIFY_SOCKET ("@name" is in
// the abstract namespace). Without $NOTIFY_SOCKET it does nothing.
func sdNotify(state string) error {
	name := os.Getenv("NOTIFY_SOCKET")
	if name == "" {
		return nil
	}
	if name[0] == '@' {
		name = "\x00" + name[1:]
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(state))
	return err
}
