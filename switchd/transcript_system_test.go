package switchd

import (
	"os"
	"strings"
	"testing"
)

// Transcripts of the shell's system commands: each case types lines on a
// fresh switch and compares the whole screen.
func TestSystemTranscripts(t *testing.T) {
	cases := []struct {
		name    string
		lines   []string
		answers []string
		want    string
	}{
		{"prompt and configure terminal", []string{"configure terminal", "end"},
			nil, `Switch#configure terminal
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#end
Switch#`},
		{"hostname changes the prompt at once", []string{"conf t", "hostname Edge-7", "no hostname", "hostname bad_name", "hostname " + strings.Repeat("a", 100), "do show"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#hostname Edge-7
Edge-7(config)#no hostname
Switch(config)#hostname bad_name
% Hostname contains one or more illegal characters.
Switch(config)#hostname ` + strings.Repeat("a", 100) + `
% Hostname is too long: 100 characters (at most 63).
Switch(config)#do show
% Type "show ?" for a list of subcommands
`},
		{"exit climbs one mode at a time", []string{"conf t", "interface eth0", "exit", "vlan 10", "exit", "exit"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth0
Switch(config-if)#exit
Switch(config)#vlan 10
Switch(config-vlan)#exit
Switch(config)#exit
Switch#`},
		{"do runs exec commands in config modes", []string{"conf t", "interface eth0", "do show privilege", "do sh priv | include 15"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth0
Switch(config-if)#do show privilege
Current privilege level is 15
Switch(config-if)#do sh priv | include 15
Current privilege level is 15
Switch(config-if)#`},
		{"errors", []string{"show", "sh i", "show vlanx", "show vlan id 5000", "configure", "write"},
			nil, "Switch#show\n% Type \"show ?\" for a list of subcommands\n" +
				"Switch#sh i\n% Ambiguous command:  \"sh i\"\n" +
				"Switch#show vlanx\n" + strings.Repeat(" ", 16) + "^\n% Invalid input detected at '^' marker.\n\n" +
				"Switch#show vlan id 5000\n" + strings.Repeat(" ", 23) + "^\n% Invalid input detected at '^' marker.\n\n" +
				"Switch#configure\n% Incomplete command.\n\n" +
				"Switch#write\nBuilding configuration...\n[OK]\nSwitch#"},
		{"help", []string{"sh?", "show ?", "show vlan ?", "sh jjj?", "show m ?", "terminal ?"},
			nil, `Switch#sh?
show

Switch#show ?
  archive         Archive of the running configuration information
  cdp             CDP information
  clock           Display the system clock
  history         Display the session command history
  inert-config    Configuration lines kept but without effect on this platform
  interfaces      Interface status and configuration
  ip              IP information
  line            TTY line information
  logging         Show the contents of logging buffers
  mac             MAC configuration
  ntp             Network time protocol
  privilege       Show current privilege level
  running-config  Current operating configuration
  sessions        Information about Telnet connections
  ssh             Status of SSH server connections
  startup-config  Contents of startup configuration
  system          Show the system configuration
  terminal        Display terminal configuration parameters
  users           Display information about terminal lines
  version         System hardware and software status
  vlan            VTP VLAN status
  vm              Virtual machines with ports on the switch or saved configuration

Switch#show vlan ?
  brief    VTP all VLAN status in brief
  id       VTP VLAN status by VLAN id
  name     VTP VLAN status by VLAN name
  summary  VLAN summary information
  |        Output modifiers
  <cr>

Switch#sh jjj?
% Unrecognized command
Switch#show m ?
  address-table  MAC forwarding table

Switch#terminal ?
  history  Enable and control the command history function
  length   Set number of lines on a screen
  monitor  Copy debug output to the current terminal line
  no       Negate a command or set its defaults
  width    Set width of the display terminal

Switch#`},
		{"show clock, privilege, history", []string{"show clock", "show privilege", "terminal history size 3", "show version | include uptime", "show history"},
			nil, `Switch#show clock
10:15:32.123 UTC Sat Nov 21 2026
Switch#show privilege
Current privilege level is 15
Switch#terminal history size 3
Switch#show version | include uptime
Switch uptime is 0 minutes
Switch#show history
  terminal history size 3
  show version | include uptime
  show history
Switch#`},
		{"running-config of a fresh switch", []string{"show running-config"},
			nil, `Switch#show running-config
Building configuration...

Current configuration : 24 bytes
!
hostname Switch
!
end

Switch#`},
		{"startup-config absent, then saved", []string{"show startup-config", "copy running-config startup-config", "show startup-config"},
			nil, `Switch#show startup-config
startup-config is not present
Switch#copy running-config startup-config
Building configuration...
[OK]
Switch#show startup-config
!
hostname Switch
!
end
Switch#`},
		{"archive differences", []string{"write memory", "show archive config differences", "conf t", "hostname Lab", "interface eth0", "description up", "end", "show archive config differences"},
			nil, `Switch#write memory
Building configuration...
[OK]
Switch#show archive config differences
!Contextual Config Diffs:
!No changes were found
Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#hostname Lab
Lab(config)#interface eth0
Lab(config-if)#description up
Lab(config-if)#end
Lab#show archive config differences
Contextual Config Diffs:
-hostname Switch
+hostname Lab
+interface eth0
 +description up
Lab#`},
		{"enable and disable", []string{"disable", "show privilege", "show running-config", "enable 5", "show privilege", "disable 7", "enable", "show privilege"},
			nil, `Switch#disable
Switch>show privilege
Current privilege level is 1
Switch>show running-config
            ^
% Invalid input detected at '^' marker.

Switch>enable 5
Switch#show privilege
Current privilege level is 5
Switch#disable 7
% New privilege level must be less than current privilege level
Switch#enable
Switch#show privilege
Current privilege level is 15
Switch#`},
		{"enable secret stored hashed and checked", []string{"conf t", "enable secret Lab-Pa55", "end", "disable", "enable", "show privilege"},
			[]string{"wrong", "Lab-Pa55"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#enable secret Lab-Pa55
Switch(config)#end
Switch#disable
Switch>enable
Password: 
Password: 
Switch#show privilege
Current privilege level is 15
Switch#`},
		{"enable secret bad type 5", []string{"conf t", "enable secret 5 notahash"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#enable secret 5 notahash
ERROR: The secret you entered is not a valid encrypted secret.
To enter an UNENCRYPTED secret, do not specify type 5 or 9 encryption.
When you properly enter an UNENCRYPTED secret, it will be encrypted.
Switch(config)#`},
		{"write erase asks", []string{"write memory", "write erase", "show startup-config"},
			[]string{""}, `Switch#write memory
Building configuration...
[OK]
Switch#write erase
Erasing the startup-config (STARTUP) will remove the saved configuration! Continue? [confirm]
[OK]
Erase of startup-config: complete
Switch#show startup-config
startup-config is not present
Switch#`},
		{"help text", []string{"help"}, nil, "Switch#help\n" + helpText + "Switch#"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "eth0", "eth1", "vif1.0")
			got := r.console().Transcript(tc.lines, tc.answers...)
			want := strings.ReplaceAll(tc.want, "STARTUP", r.store.StartupPath())
			// The wanted screen ends with the prompt that would follow.
			want = want[:strings.LastIndex(want, "\n")+1]
			expectScreen(t, got, want)
		})
	}
}

func TestEnableOnVTY(t *testing.T) {
	r := newRig(t)
	got := r.vty("admin", "10.0.0.5").Transcript([]string{"enable", "show privilege"})
	expectScreen(t, got, "Switch>enable\n% No password set\nSwitch>show privilege\nCurrent privilege level is 1\n")

	r.configure("enable secret level 15 0 s3cret")
	got = r.vty("admin", "10.0.0.5").Transcript([]string{"enable", "show privilege"}, "a", "b", "c")
	expectScreen(t, got, "Switch>enable\nPassword: \nPassword: \nPassword: \n% Bad secrets\n\nSwitch>show privilege\nCurrent privilege level is 1\n")
	if !strings.Contains(r.runningBody(), "enable secret 9 $9$") {
		t.Errorf("secret not shown as type 9:\n%s", r.runningBody())
	}
}

func TestSecretsSurviveReload(t *testing.T) {
	r := newRig(t)
	r.configure("enable secret 5 $1$abcd$ABOCfICGTWeBeG/njucVA1", "enable secret level 3 Op3r")
	before := r.runningBody()
	out := r.run("write memory", "reload")
	_ = out
	r2 := newRig(t)
	r2.store = r.store
	r2.sw.store = r.store
	errs := r2.sw.LoadStartup()
	if len(errs) > 0 {
		t.Fatalf("startup errors: %+v", errs)
	}
	if got := r2.runningBody(); got != before {
		t.Fatalf("reloaded config differs:\n%s\nwant\n%s", got, before)
	}
	got := r2.vty("u", "x").Transcript([]string{"enable 3", "show privilege"}, "Op3r")
	expectScreen(t, got, "Switch>enable 3\nPassword: \nSwitch#show privilege\nCurrent privilege level is 3\n")
}

func TestReloadAsksToSave(t *testing.T) {
	r := newRig(t, "eth0")
	r.run("conf t", "hostname Saved", "end", "write memory")
	r.configure("hostname Unsaved", "interface eth0", "description x")
	got := r.console().Transcript([]string{"reload", "show running-config | include hostname"}, "maybe", "no", "")
	expectScreen(t, got, `Unsaved#reload
System configuration has been modified. Save? [yes/no]: maybe
% Please answer 'yes' or 'no'.
System configuration has been modified. Save? [yes/no]: no
Proceed with reload? [confirm]
Running-config reinitialised from the startup-config (0 errors).
Saved#show running-config | include hostname
hostname Saved
`)
	if _, err := r.eng.Port("eth0"); err == nil {
		t.Errorf("eth0 is still a port after reload")
	}
}

func TestReloadCancelled(t *testing.T) {
	r := newRig(t)
	r.run("write memory")
	got := r.console().Transcript([]string{"reload"}, "n")
	expectScreen(t, got, "Switch#reload\nProceed with reload? [confirm]\n")
}

func TestBadStartupLinesReportedRestLoads(t *testing.T) {
	r := newRig(t, "eth0", "eth1")
	if _, err := r.store.Prepare(); err != nil {
		t.Fatal(err)
	}
	text := "!\nhostname Lab\n!\ninterface eth9\n description gone\n!\ninterface eth0\n switchport access vlan 5000\n description ok\n!\nvlan 30\n name Web\n!\nbogus\n"
	if err := os.WriteFile(r.store.StartupPath(), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	errs := r.sw.LoadStartup()
	var got []string
	for _, e := range errs {
		got = append(got, strings.TrimSpace(e.Text)+" => "+e.Message)
	}
	// Columns are the file's, the line quoted as written.
	want := []string{
		"interface eth9 => % interface eth9 does not exist",
		"description gone => % Not applied: the line that opens this block failed",
		`switchport access vlan 5000 => % Invalid input detected at column 28: " switchport access vlan 5000"`,
		`bogus => % Invalid input detected at column 3: "bogus"`, // "bo" could start "boot-start-marker"
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	body := r.runningBody()
	for _, must := range []string{"hostname Lab", "interface eth0\n description ok", "vlan 30\n name Web"} {
		if !strings.Contains(body, must) {
			t.Errorf("running-config lacks %q:\n%s", must, body)
		}
	}
	if errs[0].Line != 4 || errs[2].Line != 8 || errs[3].Line != 14 {
		t.Errorf("line numbers: %+v", errs)
	}
}
