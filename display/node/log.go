package node

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// slogLogger is the NATS server's logger, on slog: warnings and errors
// only. Notices, debug and trace lines are dropped (the server's start-up
// chatter); fatal errors are logged as errors and kept, so Start can say
// why the server did not come up. The server never exits the process
// through it.
type slogLogger struct {
	log *slog.Logger

	mu         sync.Mutex
	lastFatal  string
	lastFormat string    // the last error logged
	lastAt     time.Time // when
	repeated   int       // the same error since, not logged
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

// Errorf logs an error; the same error again within quietFor is counted,
// not logged (a standby whose primary is down would otherwise log a
// failed leaf connect every second).
func (l *slogLogger) Errorf(format string, v ...any) {
	now := time.Now()
	l.mu.Lock()
	if format == l.lastFormat && now.Sub(l.lastAt) < quietFor {
		l.repeated++
		l.mu.Unlock()
		return
	}
	repeated := l.repeated
	l.lastFormat, l.lastAt, l.repeated = format, now, 0
	l.mu.Unlock()
	if repeated > 0 {
		l.log.Error(fmt.Sprintf(format, v...), "repeatedBefore", repeated)
		return
	}
	l.log.Error(fmt.Sprintf(format, v...))
}

// quietFor is how long the same error is counted instead of logged.
const quietFor = 30 * time.Second

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
