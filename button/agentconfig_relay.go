package button

import "fmt"

// validateRelay checks the relay's settings.
func (c AgentConfig) validateRelay() []error {
	var errs []error
	if c.RelayPin == "" {
		if c.RelayHold != 0 || c.RelayActiveLow {
			errs = append(errs, fmt.Errorf("button: config: relay_ms and relay_active_low need relay_pin"))
		}
		return errs
	}
	if c.RelayPin == c.Pin || c.RelayPin == c.LEDPin {
		errs = append(errs, fmt.Errorf("button: config: the relay pin %s is also the input or the LED pin", c.RelayPin))
	}
	if c.RelayHold != 0 && (c.RelayHold < MinRelayHold || c.RelayHold > MaxRelayHold) {
		errs = append(errs, fmt.Errorf("button: config: relay_ms is %s: it must be between %s and %s",
			c.RelayHold, MinRelayHold, MaxRelayHold))
	}
	if c.Simulate {
		errs = append(errs, fmt.Errorf("button: config: relay_pin cannot be used with simulate (no GPIO)"))
	}
	return errs
}
