package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/host/v3/gpioioctl"
)

// ioctlDriver is the name under which periph.io registers the Linux GPIO
// character-device driver.
const ioctlDriver = "ioctl-gpio"

// openPins initialises periph.io with the Linux GPIO character-device
// driver alone, which works the same on a Raspberry Pi 3, 4, 5 and Zero
// (the Pi 5's RP1 has no memory-mapped driver worth trying), and opens the
// input pin and, if named, the LED pin. Every failure says why.
func openPins(log *slog.Logger, inName, ledName string) (gpio.PinIn, gpio.PinOut, error) {
	state, err := driverreg.Init()
	if err != nil {
		return nil, nil, fmt.Errorf("button: gpio: periph.io: %w", err)
	}
	logDrivers(log, state)
	if !loaded(state) {
		return nil, nil, noDriver(state)
	}
	in, err := findPin(log, inName, "input")
	if err != nil {
		return nil, nil, err
	}
	if ledName == "" {
		return in, nil, nil
	}
	led, err := findPin(log, ledName, "LED")
	if err != nil {
		return nil, nil, err
	}
	return in, led, nil
}

// logDrivers says which drivers loaded, were skipped, or failed.
func logDrivers(log *slog.Logger, s *driverreg.State) {
	var names []string
	for _, d := range s.Loaded {
		names = append(names, d.String())
	}
	log.Info("button: gpio drivers", "loaded", strings.Join(names, ","))
	for _, f := range s.Skipped {
		log.Info("button: gpio driver skipped", "driver", f.D.String(), "reason", errText(f.Err))
	}
	for _, f := range s.Failed {
		log.Warn("button: gpio driver failed", "driver", f.D.String(), "err", errText(f.Err))
	}
}

// loaded reports whether the character-device driver loaded.
func loaded(s *driverreg.State) bool {
	for _, d := range s.Loaded {
		if d.String() == ioctlDriver {
			return true
		}
	}
	return false
}

// noDriver explains why the character-device driver did not load.
func noDriver(s *driverreg.State) error {
	chips, _ := filepath.Glob("/dev/gpiochip*")
	if len(chips) == 0 {
		return errors.New("button: gpio: no /dev/gpiochip*: this machine has no GPIO character device " +
			"(not a Raspberry Pi, or a kernel older than 4.8); to rehearse without a button, use --simulate")
	}
	f, err := os.Open(chips[0])
	if err == nil {
		f.Close()
		return fmt.Errorf("button: gpio: the %s driver did not load (%s), although %s opens", ioctlDriver, reasons(s), chips[0])
	}
	if errors.Is(err, fs.ErrPermission) {
		who := "this user"
		if u, uerr := user.Current(); uerr == nil {
			who = u.Username
		}
		return fmt.Errorf("button: gpio: no access to %s (%v): add %s to group gpio "+
			"(sudo usermod -aG gpio %s, then log in again; the systemd unit in deploy/pi does this with SupplementaryGroups=gpio)",
			chips[0], err, who, who)
	}
	return fmt.Errorf("button: gpio: cannot open %s: %w", chips[0], err)
}

// reasons lists why drivers were skipped or failed.
func reasons(s *driverreg.State) string {
	var out []string
	for _, f := range append(append([]driverreg.DriverFailure{}, s.Skipped...), s.Failed...) {
		out = append(out, f.D.String()+": "+errText(f.Err))
	}
	if len(out) == 0 {
		return "no reason given"
	}
	return strings.Join(out, "; ")
}

// findPin looks a pin up by name, says which chip it is on, and explains a
// name it does not know.
func findPin(log *slog.Logger, name, role string) (gpio.PinIO, error) {
	var p gpio.PinIO
	if named := gpioreg.ByName(name); named != nil {
		p = named
	} else if line := headerLine(name); line != nil {
		// Some lines are named for a function (GPIO4 is GPIO_GCLK on a
		// Pi 3): on the Pi's own GPIO chip, line n is GPIOn.
		log.Info("button: gpio: pin found by its number", "pin", name, "line", line.Name())
		p = line
	} else {
		return nil, fmt.Errorf("button: gpio: unknown %s pin %q; this board has %s", role, name, knownPins())
	}
	attrs := []any{"role", role, "pin", p.Name(), "driver", ioctlDriver}
	if line, ok := p.(*gpioioctl.GPIOLine); ok {
		for _, c := range gpioioctl.Chips {
			if c.ByName(line.Name()) == line {
				attrs = append(attrs, "chip", c.Path(), "label", c.Label(), "line", line.Number())
			}
		}
		if line.Consumer() != "" {
			log.Warn("button: gpio: the pin is already used by another program: stop it first",
				"pin", name, "consumer", line.Consumer())
		}
	}
	log.Info("button: gpio pin", attrs...)
	return p, nil
}

// piChips are the labels of the Raspberry Pi GPIO chips whose line n is
// BCM GPIO n on the 40-pin header: Pi 1-3 and Zero, Pi 4, Pi 5 (RP1).
var piChips = []string{"pinctrl-bcm2835", "pinctrl-bcm2711", "pinctrl-rp1"}

// headerLine finds GPIOn by its number on a Raspberry Pi GPIO chip, or
// returns nil.
func headerLine(name string) *gpioioctl.GPIOLine {
	n, err := strconv.Atoi(strings.TrimPrefix(name, "GPIO"))
	if err != nil || !strings.HasPrefix(name, "GPIO") || n < 0 || n > 27 {
		return nil
	}
	for _, c := range gpioioctl.Chips {
		if slices.Contains(piChips, c.Label()) && n < c.LineCount() {
			return c.ByNumber(n)
		}
	}
	return nil
}

// knownPins lists the first pin names periph.io registered.
func knownPins() string {
	all := gpioreg.All()
	if len(all) == 0 {
		return "no pins at all"
	}
	var names []string
	for i, p := range all {
		if i == 40 {
			names = append(names, fmt.Sprintf("and %d more", len(all)-i))
			break
		}
		names = append(names, p.Name())
	}
	return strings.Join(names, ", ")
}

// errText is err's text, or "no reason given".
func errText(err error) string {
	if err == nil {
		return "no reason given"
	}
	return err.Error()
}
