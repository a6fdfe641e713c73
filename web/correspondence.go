package web

import (
	"context"
	"net/http"

	"tether"
	"tether/clarity"
)

// Correspondence is what the server needs for notices, templates, the
// outbox and delivery evidence. *store.DB implements it.
type Correspondence interface {
	// Notices.
	CreateNotice(ctx context.Context, r *tether.NoticeRequest) (*tether.Notice, error)
	PreviewNotice(ctx context.Context, r *tether.NoticeRequest) (*tether.NoticeDraft, error)
	FindNoticeByID(ctx context.Context, id int64) (*tether.Notice, error)
	FindNotices(ctx context.Context, f tether.NoticeFilter) ([]*tether.Notice, int, error)
	NoticeTimeline(ctx context.Context, id int64) ([]*tether.NoticeEvent, error)
	MarkCopyGiven(ctx context.Context, noticeID int64, how string) error

	// Templates.
	FindTemplates(ctx context.Context) ([]*tether.Template, error)
	FindTemplateByID(ctx context.Context, id int64) (*tether.Template, error)
	FindTemplateVersion(ctx context.Context, id int64) (*tether.TemplateVersion, error)
	CreateTemplate(ctx context.Context, t *tether.Template) error
	AddTemplateVersion(ctx context.Context, templateID int64, v *tether.TemplateVersion) error
	PublishTemplateVersion(ctx context.Context, versionID int64, overrideReason string) error
	CheckVersion(t *tether.Template, v *tether.TemplateVersion) clarity.Report

	// The outbox and its channels.
	ChannelStates(ctx context.Context) ([]*tether.ChannelState, error)
	OutboxStats(ctx context.Context) (map[string]int, error)
	ResumeChannel(ctx context.Context, channel string) error

	// Delivery evidence from the channels' callbacks.
	RecordDelivery(ctx context.Context, d tether.DeliveryReport) (*tether.Notice, error)
	RecordReturnedLetter(ctx context.Context, r tether.ReturnedLetter) (*tether.Notice, error)
}

// withCorr answers 404 when the server has no correspondence service, so
// that a server built without one (a test, a read-only replica) fails
// cleanly instead of on a nil interface.
func (s *Server) withCorr(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Correspondence == nil {
			s.fail(w, r, tether.Errorf(tether.ENOTFOUND, "Correspondence is not available on this server."))
			return
		}
		h(w, r)
	}
}

// isDepartment reports whether the user works in the department (every
// role but organisation users), who may see correspondence.
func isDepartment(u *tether.User) bool {
	return u != nil && u.Role.Valid() && u.Role != tether.RoleOrganisation
}
