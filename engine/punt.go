package engine

// Control-plane punting. CDP frames from ports with PuntCDP are copied into a
// bounded queue and handed to the handler by one goroutine, so a slow or
// flooded control plane never stalls forwarding: excess frames are dropped and
// counted (punt-overflow).

type puntItem struct {
	port  string
	frame []byte
}

// SetPuntHandler installs the function that receives punted frames (CDP to
// 01:00:0c:cc:cc:cc with SNAP PID 0x2000, tagged or not, from ports with
// PuntCDP). The frame is a copy the handler may keep. nil removes it; punted
// frames are then discarded.
func (e *Engine) SetPuntHandler(fn func(port string, frame []byte)) {
	if fn == nil {
		e.puntFn.Store(nil)
		return
	}
	e.puntFn.Store(&fn)
}

// punt queues a copy of fr; called on the forwarding path.
func (e *Engine) punt(p *port, fr []byte, drops *[NumDropReasons]uint64) {
	if e.puntFn.Load() == nil {
		p.ctr.punted.Add(1) // consumed by the control plane, which is not listening
		return
	}
	it := puntItem{port: p.name, frame: append([]byte(nil), fr...)}
	select {
	case e.puntQ <- it:
		p.ctr.punted.Add(1)
	default:
		drops[DropPuntOverflow]++
	}
}

func (e *Engine) puntLoop() {
	defer e.wg.Done()
	for it := range e.puntQ {
		if fn := e.puntFn.Load(); fn != nil {
			(*fn)(it.port, it.frame)
		}
	}
}
