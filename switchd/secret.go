package switchd

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// cryptAlphabet is the alphabet of crypt(3) hashes and of Cisco's type 8/9
// secrets.
const cryptAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Secret is a stored password hash in one of the IOS encodings: type 5
// (MD5-crypt, what the original LiSA wrote) or type 9 (scrypt, the default
// for new secrets).
type Secret struct {
	Type int    // 5 or 9
	Hash string // "$1$salt$hash" or "$9$salt$hash"
}

var (
	type5RE = regexp.MustCompile(`^\$1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}$`)
	type9RE = regexp.MustCompile(`^\$9\$[./0-9A-Za-z]{14}\$[./0-9A-Za-z]{43}$`)
)

// NewSecret hashes a clear-text password as type 9.
func NewSecret(clear string) (Secret, error) {
	salt := make([]byte, 14)
	if _, err := rand.Read(salt); err != nil {
		return Secret{}, err
	}
	for i := range salt {
		salt[i] = cryptAlphabet[int(salt[i])%len(cryptAlphabet)]
	}
	h, err := type9Hash(clear, string(salt))
	if err != nil {
		return Secret{}, err
	}
	return Secret{Type: 9, Hash: h}, nil
}

// ParseSecret accepts an already hashed secret of type 5 or 9, as written in
// a configuration.
func ParseSecret(typ int, hash string) (Secret, error) {
	switch {
	case typ == 5 && type5RE.MatchString(hash):
		return Secret{Type: 5, Hash: hash}, nil
	case typ == 9 && type9RE.MatchString(hash):
		return Secret{Type: 9, Hash: hash}, nil
	}
	return Secret{}, fmt.Errorf("ERROR: The secret you entered is not a valid encrypted secret.\n" +
		"To enter an UNENCRYPTED secret, do not specify type 5 or 9 encryption.\n" +
		"When you properly enter an UNENCRYPTED secret, it will be encrypted.")
}

// Verify reports whether clear is the password.
func (s Secret) Verify(clear string) bool {
	var got string
	switch s.Type {
	case 5:
		salt := strings.Split(s.Hash, "$")[2]
		got = md5Crypt(clear, salt)
	case 9:
		h, err := type9Hash(clear, s.Hash[3:17])
		if err != nil {
			return false
		}
		got = h
	default:
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.Hash)) == 1
}

// type9Hash is Cisco's type 9: scrypt (N=16384, r=1, p=1, 32 bytes) of the
// password with the 14-character salt, in base64 over the crypt alphabet.
func type9Hash(clear, salt string) (string, error) {
	key, err := scrypt.Key([]byte(clear), []byte(salt), 16384, 1, 1, 32)
	if err != nil {
		return "", err
	}
	enc := base64.NewEncoding(cryptAlphabet).WithPadding(base64.NoPadding)
	return "$9$" + salt + "$" + enc.EncodeToString(key), nil
}

// md5Crypt is the FreeBSD MD5-crypt ($1$) that IOS uses for type 5 secrets.
func md5Crypt(clear, salt string) string {
	if len(salt) > 8 {
		salt = salt[:8]
	}
	pw := []byte(clear)
	alt := md5.Sum([]byte(clear + salt + clear))
	ctx := md5.New()
	ctx.Write([]byte(clear + "$1$" + salt))
	for i := len(pw); i > 0; i -= 16 {
		ctx.Write(alt[:min(16, i)])
	}
	for i := len(pw); i != 0; i >>= 1 {
		if i&1 != 0 {
			ctx.Write([]byte{0})
		} else {
			ctx.Write(pw[:1])
		}
	}
	final := ctx.Sum(nil)
	for i := 0; i < 1000; i++ {
		c := md5.New()
		if i&1 != 0 {
			c.Write(pw)
		} else {
			c.Write(final)
		}
		if i%3 != 0 {
			c.Write([]byte(salt))
		}
		if i%7 != 0 {
			c.Write(pw)
		}
		if i&1 != 0 {
			c.Write(final)
		} else {
			c.Write(pw)
		}
		final = c.Sum(nil)
	}
	var b strings.Builder
	b.WriteString("$1$" + salt + "$")
	to64 := func(v uint32, n int) {
		for ; n > 0; n-- {
			b.WriteByte(cryptAlphabet[v&0x3f])
			v >>= 6
		}
	}
	for _, g := range [][3]int{{0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5}} {
		to64(uint32(final[g[0]])<<16|uint32(final[g[1]])<<8|uint32(final[g[2]]), 4)
	}
	to64(uint32(final[11]), 2)
	return b.String()
}
