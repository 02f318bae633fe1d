package node

import (
	"fmt"
	"log/slog"
	"sync"
)

// slogLogger is the NATS server's logger, on slog: warnings and errors
// only. Notices, debug and trace lines are dropped (the server's start-up
// chatter); fatal errors are logged as errors and kept, so Start can say
// why the server did not come up. The server never exits the process
// through it.
type slogLogger struct {
	log *slog.Logger

	mu        sync.Mutex
	lastFatal string
}

// Noticef drops a notice.
func (l *slogLogger) Noticef(string, ...any) {}

// Warnf logs a warning.
func (l *slogLogger) Warnf(format string, v ...any) { l.log.Warn(fmt.Sprintf(format, v...)) }

// Fatalf logs an error and keeps it for Start.
func (l *slogLogger) Fatalf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	l.mu.Lock()
	l.lastFatal = msg
	l.mu.Unlock()
	l.log.Error(msg)
}

// Errorf logs an error.
func (l *slogLogger) Errorf(format string, v ...any) { l.log.Error(fmt.Sprintf(format, v...)) }

// Debugf drops a debug line.
func (l *slogLogger) Debugf(string, ...any) {}

// Tracef drops a trace line (they may hold protocol lines).
func (l *slogLogger) Tracef(string, ...any) {}

// fatal is the last fatal error logged, "" if none.
func (l *slogLogger) fatal() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastFatal
}
