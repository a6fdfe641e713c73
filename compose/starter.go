package compose

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed starter.json
var starterJSON []byte

// StarterTemplate is one of the plainly written templates that Tether
// offers as a starting point. Letter bodies hold the body only: a renderer
// adds the address, date and reply details. In letter bodies paragraphs are
// separated by a blank line, lines starting "- " are bullet points and lines
// starting "# " are headings.
type StarterTemplate struct {
	Key          string           `json:"key"`   // e.g. "reporting-notice-letter"
	Title        string           `json:"title"` // for caseworkers choosing a template
	Kind         string           `json:"kind"`  // one of Kinds
	Channel      string           `json:"channel"`
	AsksToAct    bool             `json:"asks_to_act"`
	Placeholders []string         `json:"placeholders"`
	Versions     []StarterVersion `json:"versions"`
}

// StarterVersion is the text of a starter template in one language.
type StarterVersion struct {
	Language string `json:"language"`          // BCP 47 tag such as "en" or "cy"
	Subject  string `json:"subject,omitempty"` // none for SMS
	Body     string `json:"body"`
}

// Kinds are the kinds of correspondence a starter template can be.
var Kinds = []string{"decision", "bail_notice", "reporting_notice", "reminder", "request_contact_details", "enquiry_reply", "general"}

// Channels are the channels a starter template can be sent by.
var Channels = []string{"letter", "email", "sms"}

// Starter returns the starter set of templates. Each call returns a fresh
// copy, so callers may change what they get.
func Starter() ([]StarterTemplate, error) {
	dec := json.NewDecoder(bytes.NewReader(starterJSON))
	dec.DisallowUnknownFields()
	var ts []StarterTemplate
	if err := dec.Decode(&ts); err != nil {
		return nil, fmt.Errorf("the starter templates cannot be read: %w", err)
	}
	return ts, nil
}
