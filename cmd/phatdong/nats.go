package main

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display/node"
)

// natsNode is the server's embedded NATS node and what rides on it: the
// in-process connection and the journal publisher.
type natsNode struct {
	node    *node.Node
	nc      *nats.Conn
	journal *node.Journal
	secret  string
}

// natsDir is JetStream's store directory: next to the database, named
// after it (phatdong.db → phatdong.db.nats).
func natsDir(db string) string { return db + ".nats" }

// startNATS starts the node on cfg.NATSAddr with the pairing secret
// (given, or stored and generated on first start), connects to it and
// starts the journal publisher.
func startNATS(cfg Config, store *bolt.Store, log *slog.Logger) (_ *natsNode, err error) {
	host, port, err := splitHostPort(cfg.NATSAddr)
	if err != nil {
		return nil, fmt.Errorf("--nats-addr %q %w", cfg.NATSAddr, err)
	}
	n := &natsNode{}
	if n.secret, err = secret(store, secretPairing, cfg.PairingSecret); err != nil {
		return nil, err
	}
	n.node, err = node.Start(node.Config{Dir: natsDir(cfg.DB), Host: host, Port: port, Secret: n.secret, Log: log})
	if err != nil {
		return nil, fmt.Errorf("--nats-addr %s: %w", cfg.NATSAddr, err)
	}
	defer func() {
		if err != nil {
			n.close()
		}
	}()
	if n.nc, err = n.node.Connect(); err != nil {
		return nil, err
	}
	if n.journal, err = n.node.Journal(n.nc); err != nil {
		return nil, err
	}
	return n, nil
}

// natsHealth is what /healthz shows under "nats".
type natsHealth struct {
	node.Health
	Journal node.JournalStats `json:"journal"`
}

// health describes the node for /healthz.
func (n *natsNode) health() any {
	return natsHealth{Health: n.node.Health(), Journal: n.journal.Stats()}
}

// close publishes what the journal still holds, then stops the node.
// It may be called on a half-started node.
func (n *natsNode) close() {
	if n == nil {
		return
	}
	if n.journal != nil {
		n.journal.Close()
	}
	if n.nc != nil {
		n.nc.Close()
	}
	if n.node != nil {
		n.node.Close()
	}
}

// journalMessage is one message of the journal stream: an accepted
// command as committed, with the sequence it made and the new show when
// it replaced the show.
type journalMessage struct {
	Seq   uint64           `json:"seq"`
	Entry controller.Entry `json:"entry"`
	Show  *controller.Show `json:"show,omitempty"`
}

// journalTap is the engine's store with one addition: every record
// committed is handed to the journal publisher, after the commit and
// without waiting (Journal.Publish only queues). The engine calls Commit
// with its lock held; the tap never blocks it.
type journalTap struct {
	controller.Store
	journal *node.Journal
	log     *slog.Logger
}

// Commit commits rec, then queues it for the journal stream.
func (t journalTap) Commit(rec controller.Record) error {
	if err := t.Store.Commit(rec); err != nil {
		return err
	}
	body, err := json.Marshal(journalMessage{Seq: rec.State.Seq, Entry: rec.Entry, Show: rec.Show})
	if err != nil {
		t.log.Error("journal: encode an entry", "seq", rec.State.Seq, "err", err)
		return nil
	}
	t.journal.Publish(rec.State.Seq, body)
	return nil
}
