package switchd

import "testing"

// The expected hashes come from `openssl passwd -1 -salt S P` and from
// Python's hashlib.scrypt with Cisco's type 9 parameters.
func TestSecretVectors(t *testing.T) {
	for _, v := range []struct{ clear, salt, want string }{
		{"password", "abcd", "$1$abcd$ABOCfICGTWeBeG/njucVA1"},
		{"a much longer passphrase with spaces!!", "sA1t.x/Y", "$1$sA1t.x/Y$NfercofkUuosO9kcZ163T/"},
		{"", "z", "$1$z$ly81Jna/sALocpLa/0hVV."},
	} {
		if got := md5Crypt(v.clear, v.salt); got != v.want {
			t.Errorf("md5Crypt(%q,%q) = %s want %s", v.clear, v.salt, got, v.want)
		}
	}
	if got, _ := type9Hash("cisco", "9nZCbRVlYHGdbR"); got != "$9$9nZCbRVlYHGdbR$xkC9vPHdOUqUQjwydCR4dQnBv8y/9gHIRob8BJwEDqA" {
		t.Errorf("type9Hash = %s", got)
	}
}

func TestSecretRoundTrip(t *testing.T) {
	s, err := NewSecret("Lab-Pa55")
	if err != nil {
		t.Fatal(err)
	}
	if s.Type != 9 || !s.Verify("Lab-Pa55") || s.Verify("lab-pa55") {
		t.Fatalf("new secret %+v does not verify", s)
	}
	p, err := ParseSecret(9, s.Hash)
	if err != nil || p != s {
		t.Fatalf("ParseSecret(9, %s) = %+v, %v", s.Hash, p, err)
	}
	p5, err := ParseSecret(5, "$1$abcd$ABOCfICGTWeBeG/njucVA1")
	if err != nil || !p5.Verify("password") || p5.Verify("Password") {
		t.Fatalf("type 5: %+v %v", p5, err)
	}
	for _, bad := range []struct {
		typ  int
		hash string
	}{{5, "$1$abcd$short"}, {5, "plain"}, {9, "$1$abcd$ABOCfICGTWeBeG/njucVA1"}, {9, "$9$short$x"}, {7, "x"}} {
		if _, err := ParseSecret(bad.typ, bad.hash); err == nil {
			t.Errorf("ParseSecret(%d, %q) accepted", bad.typ, bad.hash)
		}
	}
}
