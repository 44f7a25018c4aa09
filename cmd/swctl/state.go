package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// state is lisad's answer to "show vm json": the ports and the VMs' NICs.
type state struct {
	Ports []struct {
		Interface string `json:"interface"`
		Mode      string `json:"mode"`
		VLAN      int    `json:"access_vlan"`
		Native    int    `json:"native_vlan"`
		Allowed   string `json:"allowed_vlans"`
		Shutdown  bool   `json:"shutdown"`
		VM        string `json:"vm"`
		NIC       *int   `json:"nic"`
	} `json:"ports"`
	VMs []struct {
		VM         string   `json:"vm"`
		NIC        int      `json:"nic"`
		Interface  string   `json:"interface"`
		Interfaces []string `json:"interfaces"`
		Status     string   `json:"status"`
	} `json:"vms"`
}

func parseState(b []byte) (*state, error) {
	// The batch session echoes nothing but the command's output; skip
	// anything before the JSON object all the same.
	if i := strings.IndexByte(string(b), '{'); i > 0 {
		b = b[i:]
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("unexpected answer from lisad: %v", err)
	}
	return &st, nil
}

// bound reports whether interface iface is bound to NIC nic of VM vm.
func (st *state) bound(iface, vm string, nic int) bool {
	for _, p := range st.Ports {
		if p.Interface == iface {
			return p.VM == vm && p.NIC != nil && *p.NIC == nic
		}
	}
	return false
}

// render prints the ports and the VMs' NICs as two tables whose columns fit
// their longest value: names are never cut.
func (st *state) render(w io.Writer) {
	rows := [][]string{{"Port", "Mode", "VLAN", "Allowed", "State", "VM", "NIC"}}
	for _, p := range st.Ports {
		vlan, allowed := strconv.Itoa(p.VLAN), "-"
		if p.Mode == "trunk" {
			vlan, allowed = strconv.Itoa(p.Native)+" (native)", p.Allowed
		}
		state, vm, nic := "enabled", "-", "-"
		if p.Shutdown {
			state = "shutdown"
		}
		if p.VM != "" && p.NIC != nil {
			vm, nic = p.VM, strconv.Itoa(*p.NIC)
		}
		rows = append(rows, []string{p.Interface, p.Mode, vlan, allowed, state, vm, nic})
	}
	table(w, rows)
	if len(st.VMs) == 0 {
		return
	}
	fmt.Fprintln(w)
	rows = [][]string{{"VM", "NIC", "Interface", "Status"}}
	for _, v := range st.VMs {
		iface := strings.Join(v.Interfaces, ",")
		if iface == "" {
			iface = v.Interface
		}
		if iface == "" {
			iface = "-"
		}
		rows = append(rows, []string{v.VM, strconv.Itoa(v.NIC), iface, v.Status})
	}
	table(w, rows)
}

// table prints rows in columns two spaces apart, the last one unpadded.
func table(w io.Writer, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c + strings.Repeat(" ", width[i]-len(c)+2))
		}
		fmt.Fprintln(w, b.String())
	}
}
