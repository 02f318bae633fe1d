package controller

import "time"

// Apply is the rules of the show: the state after cmd is applied to st at
// now, and the launch outcome when the command was a press or a fire. It is
// a pure function; st is not modified. A refused command returns an *Error
// and st unchanged. The caller has validated cmd.
func Apply(show *Show, st State, cmd Command, now time.Time) (State, string, error) {
	next := settle(show, st.Clone(), now)
	ms := UnixMs(now)
	seq := st.Seq + 1
	var outcome string
	var err error
	switch cmd.Type {
	case CmdTakeover:
		next.Epoch, next.EpochSeq = next.Epoch+1, seq
	case CmdExpire:
		if next.Timer == st.Timer && next.Current == st.Current {
			return st, "", Errorf(ECONFLICT, "no clock has reached zero")
		}
	case CmdGoto:
		i := show.Index(cmd.Segment)
		if i < 0 {
			return st, "", &Error{Code: ENOTFOUND, Field: "segment", Message: "no segment with id " + quote(cmd.Segment)}
		}
		next = moveTo(show, next, i, ms)
	case CmdNext:
		if next.Current >= len(show.Segments)-1 {
			return st, "", Errorf(ECONFLICT, "this is the last segment; there is no next one")
		}
		next = moveTo(show, next, next.Current+1, ms)
	case CmdPrevious:
		if next.Current == 0 {
			return st, "", Errorf(ECONFLICT, "this is the first segment; there is no previous one")
		}
		next = moveTo(show, next, next.Current-1, ms)
	case CmdStart:
		if next.Timer.Phase != TimerReady {
			return st, "", Errorf(ECONFLICT, "the clock is already started (%s); reset it first", next.Timer.Phase)
		}
		next.Timer = next.Timer.start(ms + show.Segments[next.Current].startLead())
		next.markStarted(show, ms)
	case CmdPause:
		if next.Timer.Phase != TimerRunning {
			return st, "", Errorf(ECONFLICT, "the clock is not running (%s)", next.Timer.Phase)
		}
		next.Timer = next.Timer.pause(ms)
	case CmdResume:
		if next.Timer.Phase != TimerPaused {
			return st, "", Errorf(ECONFLICT, "the clock is not paused (%s)", next.Timer.Phase)
		}
		next.Timer = next.Timer.resume(ms + show.Segments[next.Current].startLead())
	case CmdResetTimer:
		if run, ok := next.Runs[show.Segments[next.Current].ID]; ok && run.EndedAt == 0 {
			delete(next.Runs, show.Segments[next.Current].ID)
		}
		next.Timer = readyTimer(show.Segments[next.Current])
	case CmdAddTime:
		if show.Segments[next.Current].IsVideo() {
			return st, "", Errorf(ECONFLICT, "a film lasts as long as it lasts: time cannot be added to or taken from a video segment")
		}
		next.Timer, err = addTime(next.Timer, cmd.Seconds, ms)
	case CmdMessage:
		next.Message = Message{Text: cmd.Text, Blink: cmd.Blink, At: ms}
	case CmdClearMsg:
		if next.Message.Text == "" {
			return st, "", Errorf(ECONFLICT, "there is no message to clear")
		}
		next.Message = Message{}
	case CmdBlackout:
		next.Blackout = *cmd.On
	case CmdRehearsal:
		next.Rehearsal = *cmd.On
	case CmdArm:
		next.Launch, err = next.Launch.arm(ms, show.Launch)
	case CmdDisarm:
		next.Launch, err = next.Launch.disarm()
	case CmdPress:
		p := Press{Button: cmd.Button, Name: cmd.Name, PressID: cmd.PressID, At: cmd.PressedAt}
		next.Launch, outcome, err = next.Launch.press(p, ms, show.Lead(), fireIDFor(st.Epoch, seq))
	case CmdFire:
		next.Launch, err = next.Launch.trigger(ms, show.Lead(), fireIDFor(st.Epoch, seq), "backup")
		outcome = OutcomeFired
	case CmdResetLaunch:
		next.Launch, err = next.Launch.reset(next.Rehearsal)
	default:
		return st, "", FieldError("type", "unknown command type %q", cmd.Type)
	}
	if err != nil {
		return st, "", err
	}
	next.Seq = seq
	return next, outcome, nil
}

// settle applies what the clock alone decides: a running segment that holds
// at zero stops there, one that advances at zero hands over to the next
// segment, started at the exact instant of zero (so no time drifts).
func settle(show *Show, st State, now time.Time) State {
	for range len(show.Segments) {
		zero, running := st.Timer.ZeroAt()
		if !running || zero.After(now) {
			return st
		}
		g := show.Segments[st.Current]
		switch {
		case g.OnZero == OnZeroHold:
			st.Timer.Phase, st.Timer.PausedAt = TimerDone, UnixMs(zero)
			return st
		case g.OnZero == OnZeroAdvance && st.Current < len(show.Segments)-1:
			st = moveTo(show, st, st.Current+1, UnixMs(zero))
		default:
			return st
		}
	}
	return st
}

// moveTo leaves the current segment and enters segment i. A clock that was
// counting keeps counting: the new segment starts at once.
func moveTo(show *Show, st State, i int, ms int64) State {
	wasRunning := st.Timer.Phase == TimerRunning || st.Timer.Phase == TimerDone
	st.leave(show, ms)
	st.Current = i
	st.Timer = readyTimer(show.Segments[i])
	if wasRunning {
		st.Timer = st.Timer.start(ms + show.Segments[i].startLead())
		st.markStarted(show, ms)
	}
	return st
}

func (st *State) markStarted(show *Show, ms int64) {
	id := show.Segments[st.Current].ID
	run := st.Runs[id]
	if run.StartedAt == 0 {
		run.StartedAt = ms
	}
	run.EndedAt = 0
	st.Runs[id] = run
}

func (st *State) leave(show *Show, ms int64) {
	if st.Timer.Phase == TimerReady {
		return
	}
	id := show.Segments[st.Current].ID
	run := st.Runs[id]
	run.EndedAt = ms
	run.ElapsedMs += st.Timer.Elapsed(time.UnixMilli(ms)).Milliseconds()
	run.PlannedMs = st.Timer.Total().Milliseconds()
	st.Runs[id] = run
}

// addTime adds (or removes) time. A clock held at zero starts again with the
// added time, counting from now.
func addTime(t Timer, seconds int, ms int64) (Timer, error) {
	delta := int64(seconds) * 1000
	if t.DurationMs+t.AddedMs+delta < 0 {
		return t, FieldError("seconds", "would make the segment's total time negative")
	}
	if t.Phase == TimerDone {
		t = t.resume(ms)
	}
	t.AddedMs += delta
	return t, nil
}

func quote(s string) string { return "\"" + s + "\"" }
