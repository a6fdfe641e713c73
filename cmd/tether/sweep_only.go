package main

import (
	"slices"
	"strings"
	"time"

	"tether/store"
	"tether/sweep"
)

// limitSweeps applies the sweep command's reporting settings to db, and
// its -step, -lease and -only to the runner.
func limitSweeps(r *sweep.Runner, db *store.DB, rf *reportingFlags, step int, only string, lease time.Duration) error {
	if err := rf.apply(db); err != nil {
		return err
	}
	if step < 0 || step > 1000 {
		return usagef("-step must be between 1 and 1000 (0 for the default)")
	}
	if lease < 0 || (lease > 0 && lease < time.Second) {
		return usagef("-lease must be at least 1s (0 for the default)")
	}
	r.Step, r.Lease = step, lease
	if strings.TrimSpace(only) == "" {
		return nil
	}
	names := splitList(only)
	var kept []sweep.Sweep
	for _, s := range r.Sweeps {
		if slices.Contains(names, s.Name) {
			kept = append(kept, s)
		}
	}
	for _, n := range names {
		if !slices.ContainsFunc(kept, func(s sweep.Sweep) bool { return s.Name == n }) {
			return usagef("-only: there is no sweep %q (the sweeps are %s)", n, r.Names())
		}
	}
	r.Sweeps = kept
	return nil
}
