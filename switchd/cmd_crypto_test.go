package switchd

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestCryptoKeyGenerateRSA(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure(usersConfig...)
	addr, _ := r.startDoors(true, false)
	if out := r.run("conf t", "crypto key generate rsa"); !strings.Contains(out, "% Please define a domain-name first.") {
		t.Errorf("without a domain name:\n%s", out)
	}
	if out := r.run("conf t", "ip domain-name lab.example", "crypto key generate rsa modulus 1024"); !strings.Contains(out, "RSA keys of 2048 bits at least") {
		t.Errorf("1024 bits:\n%s", out)
	}
	out := r.run("conf t", "hostname access-7", "crypto key generate rsa general-keys modulus 2048")
	for _, want := range []string{"The name for the keys will be: access-7.lab.example\n", "% The key modulus size is 2048 bits\n", "[OK] (elapsed time was "} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q:\n%s", want, out)
		}
	}
	r.sw.mu.Lock()
	path := filepath.Join(filepath.Dir(r.sw.remote.set.HostKeyPath), "ssh_host_rsa_key") // beside the ed25519 key
	r.sw.mu.Unlock()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if strings.Contains(r.runningBody(), "crypto") {
		t.Errorf("the key is in the configuration:\n%s", r.runningBody())
	}

	// A client that takes only RSA host keys gets in.
	conf := sshConfig("admin", ssh.Password("Adm1n-pw"))
	conf.HostKeyAlgorithms = []string{ssh.KeyAlgoRSASHA256}
	var seen ssh.PublicKey
	conf.HostKeyCallback = func(_ string, _ net.Addr, key ssh.PublicKey) error { seen = key; return nil }
	sh := openShell(t, dialSSH(t, addr, conf), 80, 24)
	sh.out.expect(t, "access-7#")
	sh.typeKeys(t, "exit\r")
	sh.ended(t)
	if seen == nil || seen.Type() != ssh.KeyAlgoRSA {
		t.Errorf("host key offered: %v", seen)
	}

	if out := r.console().Transcript([]string{"conf t", "crypto key zeroize rsa"}, "no"); !strings.Contains(out, "Do you really want to remove these keys? [yes/no]: ") {
		t.Errorf("zeroize asked nothing:\n%s", out)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("key file gone after answering no: %v", err)
	}
	r.console().Transcript([]string{"conf t", "crypto key zeroize rsa"}, "yes")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("key file after zeroize: %v", err)
	}
}
