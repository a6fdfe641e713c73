package store

import (
	"context"
	"testing"
	"time"

	"tether"
)

// OutboxSentMany records every item of a batch, or none of them.
func TestOutboxSentMany(t *testing.T) {
	t.Parallel()
	ForEachEngine(t, func(t *testing.T, db *DB) {
		t.Parallel()
		mustSeed(t, db)
		var reqs []*tether.NoticeRequest
		for range 3 {
			p, _ := reachablePerson(t, db)
			reqs = append(reqs, &tether.NoticeRequest{PersonID: p.ID, TemplateKey: "reporting-reminder-sms", Personalisation: reportingValues()})
		}
		notices, err := db.CreateNotices(cw(), reqs)
		if err != nil {
			t.Fatal(err)
		}
		bg := context.Background()
		items, err := db.ClaimOutbox(bg, "w1", []string{tether.SendNotifySMS}, 10, time.Minute)
		if err != nil || len(items) != 3 {
			t.Fatalf("claim = %d, %v", len(items), err)
		}
		// One item is not w1's: nothing is recorded.
		bad := []tether.Accepted{{ItemID: items[0].ID, ProviderID: "p0"}, {ItemID: items[1].ID, ProviderID: "p1"}, {ItemID: 999999, ProviderID: "p9"}}
		before := countRows(t, db)
		if err := db.OutboxSentMany(bg, "w1", bad); err == nil {
			t.Fatal("a batch with an unknown item was recorded")
		}
		if err := db.OutboxSentMany(bg, "w2", []tether.Accepted{{ItemID: items[0].ID, ProviderID: "p0"}}); tether.ErrorCode(err) != tether.ECONFLICT {
			t.Fatalf("another worker's item: %v", err)
		}
		if !mapsEqual(before, countRows(t, db)) {
			t.Fatal("a refused batch wrote something")
		}
		var all []tether.Accepted
		for i, it := range items {
			all = append(all, tether.Accepted{ItemID: it.ID, ProviderID: "prov-" + string(rune('a'+i))})
		}
		if err := db.OutboxSentMany(bg, "w1", all); err != nil {
			t.Fatal(err)
		}
		for _, n := range notices {
			got, err := db.FindNoticeByID(cw(), n.ID)
			if err != nil || got.State != tether.NoticeSent || got.ProviderID == "" || got.DeemedServed == "" {
				t.Fatalf("notice = %+v, %v", got, err)
			}
			if e := lastEvent(t, db, n.ID); e.Status != eventSent {
				t.Fatalf("last event = %+v", e)
			}
		}
		if again, err := db.ClaimOutbox(bg, "w1", []string{tether.SendNotifySMS}, 10, time.Minute); err != nil || len(again) != 0 {
			t.Fatalf("claimed %d after all were sent (%v)", len(again), err)
		}
	})
}
