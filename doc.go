// Package tether is the domain of Tether: the types, rules and service
// interfaces for keeping in contact with people who must stay in contact,
// and for answering the people who ask about them.
//
// This package does no I/O. It must never import the storage, web, notify or
// jobs packages; they import it. Rules that need the time take it from a
// Clock or as an argument, so that deadlines and sweeps are testable.
package tether
