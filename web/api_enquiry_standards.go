package web

import (
	"net/http"

	"tether"
	"tether/enquiry"
)

// enquiryStandardsReader is what GET /api/v1/enquiry-standards needs of
// the enquiry service: the service standards in force (the store's, set
// from -enquiry-standards at start). It is asked of the EnquiryService
// rather than added to it, so that services without standards of their
// own (the page tests' fakes) need not grow a method.
type enquiryStandardsReader interface {
	EnquiryStandards() enquiry.Standards
}

// apiEnquiryStandards answers the service standards in force: the working
// days for each urgency and category, the warning days and the teams.
// They are public information, so every signed-in role reads them.
func (s *Server) apiEnquiryStandards(w http.ResponseWriter, r *http.Request) {
	sr, ok := s.Enquiries.(enquiryStandardsReader)
	if !ok {
		s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "The enquiry service standards are not available on this server."))
		return
	}
	writeJSON(w, http.StatusOK, sr.EnquiryStandards())
}
