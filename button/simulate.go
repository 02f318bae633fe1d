package button

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/pin"
)

// SimHold is how long FeedLines holds the simulated button down per line:
// about a real tap, well above the glitch filter.
const SimHold = 80 * time.Millisecond

// SimPin is a simulated input pin for rehearsals on a laptop and for tests
// of the whole chain: a gpio.PinIn whose line is driven by Set (or Press,
// or FeedLines from the keyboard) instead of a button. Like a GPIO
// character device it queues edges: WaitForEdge returns once per Set that
// changed the level, and Read then returns the level of that edge, so Input
// sees every transition in order. It is safe for concurrent use.
type SimPin struct {
	name  string
	edges chan gpio.Level

	mu    sync.Mutex
	level gpio.Level // as last seen by WaitForEdge
	set   gpio.Level // as last set
	pull  gpio.Pull
}

// NewSimPin returns a released simulated pin (high, as with the pull-up).
func NewSimPin(name string) *SimPin {
	return &SimPin{name: name, edges: make(chan gpio.Level, 1024), level: gpio.High, set: gpio.High, pull: gpio.PullUp}
}

// Set drives the line to level. A level equal to the last one set is not
// an edge and changes nothing. Set blocks when 1024 edges are waiting.
func (p *SimPin) Set(level gpio.Level) {
	p.mu.Lock()
	if level == p.set {
		p.mu.Unlock()
		return
	}
	p.set = level
	p.mu.Unlock()
	p.edges <- level
}

// Press presses the button (line low) for hold, then releases it.
func (p *SimPin) Press(ctx context.Context, hold time.Duration) {
	p.Set(gpio.Low)
	sleep(ctx, hold)
	p.Set(gpio.High)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// FeedLines presses the button once per line read from r (Enter on a
// terminal), holding it SimHold and leaving it released as long before
// the next line, until r ends or ctx is done, and tells out about each
// press. It returns nil at the end of r.
func (p *SimPin) FeedLines(ctx context.Context, r io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		n++
		fmt.Fprintf(out, "phatdong-button: simulated press %d\n", n)
		p.Press(ctx, SimHold)
		sleep(ctx, SimHold)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("button: simulate: read input: %w", err)
	}
	return nil
}

// String returns the pin's name with a note that it is simulated.
func (p *SimPin) String() string { return p.name + " (simulated)" }

// Name returns the pin's name.
func (p *SimPin) Name() string { return p.name }

// Number returns -1: a simulated pin has no number.
func (p *SimPin) Number() int { return -1 }

// Function returns the pin's function, "In/High" or "In/Low".
func (p *SimPin) Function() string { return string(p.Func()) }

// Func returns the pin's function, gpio.IN_HIGH or gpio.IN_LOW.
func (p *SimPin) Func() pin.Func {
	if p.Read() == gpio.High {
		return gpio.IN_HIGH
	}
	return gpio.IN_LOW
}

// SupportedFuncs returns gpio.IN.
func (p *SimPin) SupportedFuncs() []pin.Func { return []pin.Func{gpio.IN} }

// SetFunc accepts only an input function.
func (p *SimPin) SetFunc(f pin.Func) error {
	if f != gpio.IN && f != gpio.IN_HIGH && f != gpio.IN_LOW {
		return fmt.Errorf("button: simulated pin %s: only input is supported, not %s", p.name, f)
	}
	return nil
}

// Halt does nothing.
func (p *SimPin) Halt() error { return nil }

// In records the pull; the simulated line ignores it and keeps its level.
func (p *SimPin) In(pull gpio.Pull, edge gpio.Edge) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pull = pull
	return nil
}

// Read returns the level of the last edge WaitForEdge returned.
func (p *SimPin) Read() gpio.Level {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.level
}

// WaitForEdge waits up to timeout for the next queued edge, and reports
// whether it got one; a negative timeout waits forever.
func (p *SimPin) WaitForEdge(timeout time.Duration) bool {
	select {
	case l := <-p.edges:
		p.take(l)
		return true
	default:
	}
	var expired <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case l := <-p.edges:
		p.take(l)
		return true
	case <-expired:
		return false
	}
}

// take makes l the level Read returns.
func (p *SimPin) take(l gpio.Level) {
	p.mu.Lock()
	p.level = l
	p.mu.Unlock()
}

// Pull returns the pull given to In.
func (p *SimPin) Pull() gpio.Pull {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pull
}

// DefaultPull returns gpio.PullUp.
func (p *SimPin) DefaultPull() gpio.Pull { return gpio.PullUp }

var _ gpio.PinIn = (*SimPin)(nil)
