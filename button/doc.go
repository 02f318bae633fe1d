// Package button is the hardware side of the phatdong launch-button agent
// that runs on a Raspberry Pi.
//
// Input turns the edges of a physical push button, wired active low with the
// internal pull-up, into presses: a glitch filter rejects spikes picked up by
// a long cable, a lockout makes one bouncing press count once, and a line
// that stays active is reported once as a fault instead of a stream of
// presses. LED shows the launch state on an optional indicator LED.
//
// The package takes periph.io pins (gpio.PinIn, gpio.PinOut), never pin
// names: only the agent's main calls host.Init and gpioreg.ByName. Time comes
// from an injected Clock, so every rule is tested with a fake clock and no
// sleeping.
package button
