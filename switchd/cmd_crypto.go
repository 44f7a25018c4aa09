package switchd

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/configstore"
	"golang.org/x/crypto/ssh"
)

// crypto key generate rsa: an RSA host key beside the ed25519 one, for SSH
// clients that know no other (netmiko's paramiko defaults, old OpenSSH). As
// on IOS, the key is not part of the configuration: it is kept in a file
// beside the ed25519 key (ssh_host_rsa_key, mode 0600) and survives restarts.

// minRSABits: smaller RSA keys are broken, and OpenSSH refuses them.
const minRSABits = 2048

func (s *Switch) rsaKeyPath() string {
	dir := s.store.Dir()
	if p := s.remote.set.HostKeyPath; p != "" {
		dir = filepath.Dir(p)
	}
	return filepath.Join(dir, "ssh_host_rsa_key")
}

func (s *Switch) defineCrypto() {
	help := map[string]string{
		"crypto":       "Encryption module",
		"key":          "Long term key operations",
		"generate":     "Generate new keys",
		"rsa":          "Generate RSA keys",
		"general-keys": "Generate a general purpose RSA key pair for signing and encryption",
		"modulus":      "Provide number of modulus bits on the command line",
		"bits":         "size of the key modulus [360-4096]",
		"zeroize":      "Remove keys",
	}
	s.conf.Define(cli.Command{Syntax: "crypto key generate rsa [general-keys] [modulus <360-4096>$bits]", Priv: privMax, Help: help,
		Unlocked: true, // a 4096-bit key takes seconds: other sessions go on
		Doc:      "An RSA SSH host key beside the ed25519 one (kept in ssh_host_rsa_key, not in the configuration)",
		Run:      s.cmdGenerateRSA})
	s.conf.Define(cli.Command{Syntax: "crypto key zeroize rsa", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			if s.remote.rsaKey == nil {
				return fmt.Errorf("%% No RSA keys to remove")
			}
			c.Print("% All RSA keys will be removed.\n% All router certs issued using these keys will also be removed.\n")
			answer, err := c.Ask("Do you really want to remove these keys? [yes/no]: ")
			if err != nil {
				return err
			}
			if a := strings.ToLower(strings.TrimSpace(answer)); a != "yes" && a != "y" {
				return nil
			}
			if err := os.Remove(s.rsaKeyPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("%% %v", err)
			}
			s.remote.rsaKey = nil
			return nil
		}})
}

func (s *Switch) cmdGenerateRSA(c *cli.Ctx, a cli.Args) error {
	bits := minRSABits
	if _, ok := a.Lookup("bits"); ok {
		bits = a.Int("bits")
	}
	s.mu.Lock()
	name := s.cfg.deviceID()
	domain := s.cfg.domainName
	path := s.rsaKeyPath()
	s.mu.Unlock()
	if domain == "" {
		return fmt.Errorf("%% Please define a domain-name first.")
	}
	if bits < minRSABits {
		return fmt.Errorf("%% LiSA-Go makes RSA keys of %d bits at least: smaller ones are broken, and OpenSSH refuses them", minRSABits)
	}
	c.Printf("The name for the keys will be: %s\n\n", name)
	c.Printf("%% The key modulus size is %d bits\n%% Generating %d bit RSA keys, keys will be non-exportable...\n", bits, bits)
	c.Flush()
	start := time.Now()
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return fmt.Errorf("%% %v", err)
	}
	block, err := ssh.MarshalPrivateKey(key, name)
	if err != nil {
		return fmt.Errorf("%% %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("%% %v", err)
	}
	if err := configstore.WriteFileAtomic(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return fmt.Errorf("%% %v", err)
	}
	signer, err := ssh.NewSignerFromKey(key)
	if err != nil {
		return fmt.Errorf("%% %v", err)
	}
	s.mu.Lock()
	s.remote.rsaKey = signer
	s.mu.Unlock()
	c.Printf("[OK] (elapsed time was %d seconds)\n", int(time.Since(start).Seconds()))
	s.log.Info("created the SSH RSA host key", "path", path, "bits", bits, "fingerprint", ssh.FingerprintSHA256(signer.PublicKey()))
	return nil
}

// loadRSAKey reads the RSA host key if one was generated. Caller holds the
// lock.
func (s *Switch) loadRSAKey() error {
	data, err := os.ReadFile(s.rsaKeyPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	signer, err := ssh.ParsePrivateKey(data)
	if err != nil {
		return fmt.Errorf("%s: %w", s.rsaKeyPath(), err)
	}
	s.remote.rsaKey = signer
	return nil
}
