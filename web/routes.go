package web

import (
	"io/fs"
	"net/http"
)

// routeTable is every route the server answers, with the roles that may use
// it. The OpenAPI document and the role table test are checked against it.
func (s *Server) routeTable() []route {
	static, _ := fs.Sub(staticFS, "static")
	govukAssets, _ := fs.Sub(staticFS, "static/govuk/assets")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	assets := http.StripPrefix("/assets/", http.FileServerFS(govukAssets))
	cached := func(h http.Handler) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=3600")
			h.ServeHTTP(w, r)
		}
	}
	return []route{
		// Operations.
		{Method: "GET", Pattern: "/healthz", Roles: public, Summary: "Liveness", Handler: s.handleHealthz},
		{Method: "GET", Pattern: "/readyz", Roles: public, Summary: "Readiness: the database answers", Handler: s.handleReadyz},
		{Method: "GET", Pattern: "/metrics", Roles: public, Summary: "Prometheus metrics", Handler: s.handleMetrics},
		{Method: "GET", Pattern: "/static/", Roles: public, Handler: cached(files)},
		{Method: "GET", Pattern: "/assets/", Roles: public, Handler: cached(assets)},

		// JSON API.
		{Method: "GET", Pattern: "/api/v1/openapi.json", Roles: public, API: true, Summary: "This API's OpenAPI 3 document", Handler: s.handleOpenAPI},
		{Method: "GET", Pattern: "/api/v1/me", Roles: everyone, API: true, Summary: "The signed-in user", Handler: s.apiMe},
		{Method: "GET", Pattern: "/api/v1/people", Roles: everyone, API: true, Summary: "List people", Handler: s.apiListPeople},
		{Method: "POST", Pattern: "/api/v1/people", Roles: writers, API: true, Summary: "Create a person", Handler: s.apiCreatePerson},
		{Method: "GET", Pattern: "/api/v1/people/search", Roles: everyone, API: true, Summary: "Search people", Handler: s.apiSearchPeople},
		{Method: "POST", Pattern: "/api/v1/people/duplicates", Roles: writers, API: true, Summary: "Find likely duplicates of a person not yet created", Handler: s.apiDuplicates},
		{Method: "GET", Pattern: "/api/v1/people/{id}", Roles: everyone, API: true, Summary: "Read a person", Handler: s.apiGetPerson},
		{Method: "PUT", Pattern: "/api/v1/people/{id}", Roles: writers, API: true, Summary: "Change a person", Handler: s.apiUpdatePerson},
		{Method: "GET", Pattern: "/api/v1/people/{id}/history", Roles: everyone, API: true, Summary: "Earlier versions of a person", Handler: s.apiPersonHistory},
		{Method: "GET", Pattern: "/api/v1/people/{id}/health", Roles: everyone, API: true, Summary: "A person's contact health", Handler: s.apiPersonHealth},
		{Method: "GET", Pattern: "/api/v1/people/{id}/contact-points", Roles: everyone, API: true, Summary: "A person's contact points, current and ended", Handler: s.apiListContactPoints},
		{Method: "POST", Pattern: "/api/v1/people/{id}/contact-points", Roles: writers, API: true, Summary: "Add a contact point", Handler: s.apiAddContactPoint},
		{Method: "GET", Pattern: "/api/v1/people/{id}/contact-events", Roles: everyone, API: true, Summary: "A person's contact point events", Handler: s.apiContactEvents},
		{Method: "GET", Pattern: "/api/v1/people/{id}/status", Roles: everyone, API: true, Summary: "A person's contact status and its history", Handler: s.withStatus(s.apiContactStatus)},
		{Method: "POST", Pattern: "/api/v1/people/{id}/status", Roles: writers, API: true, Summary: "Record a failed call, contact re-established, or a declaration of absconder", Handler: s.withStatus(s.apiChangeStatus)},
		{Method: "GET", Pattern: "/api/v1/people/{id}/lapses", Roles: staff, API: true, Summary: "A person's lapses of contact, newest first", Handler: s.withLapses(s.apiPersonLapses)},
		{Method: "GET", Pattern: "/api/v1/lapses", Roles: staff, API: true, Summary: "List lapses of contact, newest first", Handler: s.withLapses(s.apiListLapses)},
		{Method: "GET", Pattern: "/api/v1/lapses/{id}", Roles: staff, API: true, Summary: "A lapse of contact with its tracing plan, attempts and history", Handler: s.withLapses(s.apiGetLapse)},
		{Method: "POST", Pattern: "/api/v1/tracing-attempts/{id}/record", Roles: writers, API: true, Summary: "Record a tracing attempt as made: when, how and the outcome", Handler: s.withLapses(s.apiRecordAttempt)},
		{Method: "GET", Pattern: "/api/v1/figures/contact", Roles: staff, API: true, Summary: "Figures for managers: lapses, tracing and re-establishing contact, per centre and month", Handler: s.withLapses(s.apiContactFigures)},
		{Method: "GET", Pattern: "/api/v1/people/{id}/conditions", Roles: reportingReaders, API: true, Summary: "A person's reporting conditions, current and ended, with their history", Handler: s.withReporting(s.apiPersonConditions)},
		{Method: "POST", Pattern: "/api/v1/people/{id}/conditions", Roles: writers, API: true, Summary: "Set a reporting condition and make its events ahead", Handler: s.withReporting(s.apiCreateCondition)},
		{Method: "GET", Pattern: "/api/v1/people/{id}/events", Roles: reportingReaders, API: true, Summary: "A person's reporting events", Handler: s.withReporting(s.apiPersonEvents)},
		{Method: "GET", Pattern: "/api/v1/people/{id}/flags", Roles: reportingReaders, API: true, Summary: "A person's eligibility flags and their history", Handler: s.withReporting(s.apiPersonFlags)},
		{Method: "POST", Pattern: "/api/v1/people/{id}/flags", Roles: writers, API: true, Summary: "Set or clear a person's eligibility flag", Handler: s.withReporting(s.apiSetPersonFlag)},
		{Method: "GET", Pattern: "/api/v1/conditions/{id}", Roles: reportingReaders, API: true, Summary: "Read a reporting condition with its history", Handler: s.withReporting(s.apiGetCondition)},
		{Method: "POST", Pattern: "/api/v1/conditions/{id}/change", Roles: writers, API: true, Summary: "Replace a reporting condition with a new one from a day", Handler: s.withReporting(s.apiChangeCondition)},
		{Method: "POST", Pattern: "/api/v1/conditions/{id}/end", Roles: writers, API: true, Summary: "End a reporting condition", Handler: s.withReporting(s.apiEndCondition)},
		{Method: "GET", Pattern: "/api/v1/events/{id}", Roles: reportingReaders, API: true, Summary: "Read a reporting event with its history", Handler: s.withReporting(s.apiGetEvent)},
		{Method: "POST", Pattern: "/api/v1/events/{id}/check-in", Roles: writers, API: true, Summary: "Check a person in for today's reporting event: at a desk, by telephone or digitally", Handler: s.withReporting(s.apiCheckIn)},
		{Method: "POST", Pattern: "/api/v1/events/{id}/outcome", Roles: writers, API: true, Summary: "Record a reporting event as missed, excused or rescheduled", Handler: s.withReporting(s.apiRecordOutcome)},
		{Method: "GET", Pattern: "/api/v1/roster", Roles: reportingReaders, API: true, Summary: "Who is due at a reporting centre on a day", Handler: s.withReporting(s.apiRoster)},
		{Method: "GET", Pattern: "/api/v1/contact-points/{id}", Roles: everyone, API: true, Summary: "Read a contact point", Handler: s.apiGetContactPoint},
		{Method: "POST", Pattern: "/api/v1/contact-points/{id}/replace", Roles: writers, API: true, Summary: "End a contact point and start its replacement", Handler: s.apiReplaceContactPoint},
		{Method: "POST", Pattern: "/api/v1/contact-points/{id}/end", Roles: writers, API: true, Summary: "End a contact point", Handler: s.apiEndContactPoint},
		{Method: "POST", Pattern: "/api/v1/contact-points/{id}/confirm", Roles: writers, API: true, Summary: "Record that a contact point worked", Handler: s.apiConfirmContactPoint},
		{Method: "POST", Pattern: "/api/v1/contact-points/{id}/fail", Roles: writers, API: true, Summary: "Record that a contact point failed", Handler: s.apiFailContactPoint},
		{Method: "GET", Pattern: "/api/v1/users", Roles: admins, API: true, Summary: "List users", Handler: s.apiListUsers},
		{Method: "POST", Pattern: "/api/v1/users", Roles: admins, API: true, Summary: "Create a user", Handler: s.apiCreateUser},
		{Method: "GET", Pattern: "/api/v1/users/{id}", Roles: admins, API: true, Summary: "Read a user", Handler: s.apiGetUser},
		{Method: "PATCH", Pattern: "/api/v1/users/{id}", Roles: admins, API: true, Summary: "Change a user's role or disable them", Handler: s.apiUpdateUser},
		{Method: "GET", Pattern: "/api/v1/organisations", Roles: staff, API: true, Summary: "List organisations", Handler: s.apiListOrganisations},
		{Method: "GET", Pattern: "/api/v1/organisations/{id}", Roles: staff, API: true, Summary: "Read an organisation", Handler: s.apiGetOrganisation},
		{Method: "POST", Pattern: "/api/v1/organisations", Roles: admins, API: true, Summary: "Create an organisation", Handler: s.apiCreateOrganisation},
		{Method: "GET", Pattern: "/api/v1/tokens", Roles: everyone, API: true, Summary: "List your API tokens", Handler: s.apiListTokens},
		{Method: "POST", Pattern: "/api/v1/tokens", Roles: everyone, API: true, Summary: "Create an API token for yourself", Handler: s.apiCreateToken},
		{Method: "GET", Pattern: "/api/v1/tokens/{id}", Roles: everyone, API: true, Summary: "Read one of your API tokens", Handler: s.apiGetToken},
		{Method: "DELETE", Pattern: "/api/v1/tokens/{id}", Roles: everyone, API: true, Summary: "Revoke one of your API tokens", Handler: s.apiRevokeToken},
		{Method: "GET", Pattern: "/api/v1/audit", Roles: auditReaders, API: true, Summary: "Read the audit log", Handler: s.apiListAudit},
		{Method: "GET", Pattern: "/api/v1/audit/verify", Roles: admins, API: true, Summary: "Verify the audit log's hash chain", Handler: s.apiVerifyAudit},

		// Correspondence: notices, templates, the outbox.
		{Method: "POST", Pattern: "/api/v1/notices", Roles: noticeWriters, API: true, Summary: "Send a notice", Handler: s.withCorr(s.apiCreateNotice)},
		{Method: "POST", Pattern: "/api/v1/notices/preview", Roles: noticeWriters, API: true, Summary: "Work out a notice without sending it", Handler: s.withCorr(s.apiPreviewNotice)},
		{Method: "GET", Pattern: "/api/v1/notices", Roles: staff, API: true, Summary: "List notices", Handler: s.withCorr(s.apiListNotices)},
		{Method: "GET", Pattern: "/api/v1/notices/{id}", Roles: staff, API: true, Summary: "Read a notice", Handler: s.withCorr(s.apiGetNotice)},
		{Method: "GET", Pattern: "/api/v1/notices/{id}/timeline", Roles: staff, API: true, Summary: "What happened to a notice", Handler: s.withCorr(s.apiNoticeTimeline)},
		{Method: "GET", Pattern: "/api/v1/notices/{id}/proof", Roles: staff, API: true, Summary: "Proof of service: the notice, its timeline and template version", Handler: s.withCorr(s.apiNoticeProof)},
		{Method: "GET", Pattern: "/api/v1/notices/{id}/proof.pdf", Roles: staff, API: true, Summary: "Proof of service as a PDF", Handler: s.withCorr(s.apiNoticeProofPDF)},
		{Method: "POST", Pattern: "/api/v1/notices/{id}/copy-given", Roles: writers, API: true, Summary: "Record that a copy of a notice served to file was given", Handler: s.withCorr(s.apiCopyGiven)},
		{Method: "GET", Pattern: "/api/v1/templates", Roles: staff, API: true, Summary: "List templates with their versions", Handler: s.withCorr(s.apiListTemplates)},
		{Method: "POST", Pattern: "/api/v1/templates", Roles: writers, API: true, Summary: "Create a template", Handler: s.withCorr(s.apiCreateTemplate)},
		{Method: "GET", Pattern: "/api/v1/templates/{id}", Roles: staff, API: true, Summary: "Read a template", Handler: s.withCorr(s.apiGetTemplate)},
		{Method: "POST", Pattern: "/api/v1/templates/{id}/versions", Roles: writers, API: true, Summary: "Add a draft version of a template", Handler: s.withCorr(s.apiAddTemplateVersion)},
		{Method: "POST", Pattern: "/api/v1/template-versions/{id}/publish", Roles: writers, API: true, Summary: "Publish a draft template version", Handler: s.withCorr(s.apiPublishVersion)},
		{Method: "POST", Pattern: "/api/v1/clarity", Roles: writers, API: true, Summary: "Check a text's clarity and preview it", Handler: s.withCorr(s.apiClarity)},
		{Method: "GET", Pattern: "/api/v1/outbox", Roles: outboxReaders, API: true, Summary: "The sending channels' health and the outbox counts", Handler: s.withCorr(s.apiOutbox)},
		{Method: "POST", Pattern: "/api/v1/channels/{channel}/resume", Roles: admins, API: true, Summary: "Resume a paused channel", Handler: s.withCorr(s.apiResumeChannel)},

		// Work queues: every module's tasks.
		{Method: "GET", Pattern: "/api/v1/queues", Roles: queueReaders, API: true, Summary: "The queues and how much work each holds", Handler: s.withTasks(s.apiQueues)},
		{Method: "GET", Pattern: "/api/v1/tasks", Roles: taskWorkers, API: true, Summary: "List tasks by due date and priority", Handler: s.withTasks(s.apiListTasks)},
		{Method: "GET", Pattern: "/api/v1/tasks/{id}", Roles: taskWorkers, API: true, Summary: "Read a task", Handler: s.withTasks(s.apiGetTask)},
		{Method: "PATCH", Pattern: "/api/v1/tasks/{id}", Roles: taskWorkers, API: true, Summary: "Change a task's priority or due date", Handler: s.withTasks(s.apiChangeTask())},
		{Method: "GET", Pattern: "/api/v1/tasks/{id}/events", Roles: taskWorkers, API: true, Summary: "A task's history", Handler: s.withTasks(s.apiTaskEvents)},
		{Method: "POST", Pattern: "/api/v1/tasks/{id}/claim", Roles: taskWorkers, API: true, Summary: "Claim a task", Handler: s.withTasks(s.apiClaimTask())},
		{Method: "POST", Pattern: "/api/v1/tasks/{id}/release", Roles: taskWorkers, API: true, Summary: "Put a task back in its queue", Handler: s.withTasks(s.apiReleaseTask())},
		{Method: "POST", Pattern: "/api/v1/tasks/{id}/done", Roles: taskWorkers, API: true, Summary: "Close a task as done", Handler: s.withTasks(s.apiCompleteTask())},
		{Method: "POST", Pattern: "/api/v1/tasks/{id}/cancel", Roles: taskWorkers, API: true, Summary: "Cancel a task", Handler: s.withTasks(s.apiCancelTask())},
		{Method: "POST", Pattern: "/api/v1/tasks/{id}/reassign", Roles: taskWorkers, API: true, Summary: "Give a task to another user", Handler: s.withTasks(s.apiReassignTask())},
		{Method: "POST", Pattern: "/api/v1/users/{id}/tasks/reassign", Roles: admins, API: true, Summary: "Move every task a user has claimed", Handler: s.withTasks(s.apiReassignAll)},

		// Enquiries from MPs' offices and representatives (api_enquiries.go).
		{Method: "GET", Pattern: "/api/v1/enquiries", Roles: enquiryReaders, API: true, Summary: "List enquiries by due date: an office its own", Handler: s.withEnquiries(s.apiListEnquiries)},
		{Method: "POST", Pattern: "/api/v1/enquiries", Roles: enquiryReaders, API: true, Summary: "Raise an enquiry", Handler: s.withEnquiries(s.apiCreateEnquiry)},
		{Method: "POST", Pattern: "/api/v1/enquiries/duplicates", Roles: enquiryReaders, API: true, Summary: "An office's open enquiries a new one may repeat", Handler: s.withEnquiries(s.apiEnquiryDuplicates)},
		{Method: "GET", Pattern: "/api/v1/enquiries/report", Roles: enquiryFigures, API: true, Summary: "Enquiries performance figures, as JSON or CSV", Handler: s.withEnquiries(s.apiEnquiryReport)},
		{Method: "GET", Pattern: "/api/v1/enquiries/{id}", Roles: enquiryReaders, API: true, Summary: "Read an enquiry with its replies", Handler: s.withEnquiries(s.apiGetEnquiry)},
		{Method: "GET", Pattern: "/api/v1/enquiries/{id}/events", Roles: enquiryReaders, API: true, Summary: "An enquiry's history", Handler: s.withEnquiries(s.apiEnquiryEvents)},
		{Method: "POST", Pattern: "/api/v1/enquiries/{id}/transitions", Roles: enquiryWorkers, API: true, Summary: "Triage, assign, start, close or reopen an enquiry", Handler: s.withEnquiries(s.apiTransitionEnquiry())},
		{Method: "POST", Pattern: "/api/v1/enquiries/{id}/holding-reply", Roles: enquiryWorkers, API: true, Summary: "Send a holding reply with a new date", Handler: s.withEnquiries(s.apiHoldingReply())},
		{Method: "POST", Pattern: "/api/v1/enquiries/{id}/reply", Roles: enquiryWorkers, API: true, Summary: "Send the answer to an enquiry", Handler: s.withEnquiries(s.apiAnswerEnquiry())},
		{Method: "POST", Pattern: "/api/v1/enquiries/{id}/notes", Roles: enquiryWorkers, API: true, Summary: "Add an internal note to an enquiry", Handler: s.withEnquiries(s.apiAddEnquiryNote)},
		{Method: "GET", Pattern: "/api/v1/enquiry-teams", Roles: enquiryWorkers, API: true, Summary: "The teams that answer enquiries, with their leads", Handler: s.withEnquiries(s.apiEnquiryTeams)},
		{Method: "POST", Pattern: "/api/v1/enquiry-teams/lead", Roles: admins, API: true, Summary: "Name or clear a team's lead", Handler: s.withEnquiries(s.apiSetTeamLead)},

		// GOV.UK Notify callbacks: authenticated by the callback token only.
		{Method: "POST", Pattern: "/api/v1/callbacks/notify/delivery", Roles: public, API: true, Summary: "GOV.UK Notify delivery receipt", Handler: s.withCorr(s.callbackDelivery)},
		{Method: "POST", Pattern: "/api/v1/callbacks/notify/returned-letter", Roles: public, API: true, Summary: "GOV.UK Notify returned letter", Handler: s.withCorr(s.callbackReturnedLetter)},

		// Pages.
		{Method: "GET", Pattern: "/{$}", Roles: public, Handler: s.pageHome},
		{Method: "GET", Pattern: "/sign-in", Roles: public, Handler: s.pageSignIn},
		{Method: "POST", Pattern: "/sign-in", Roles: public, Handler: s.pageSignInPost},
		{Method: "POST", Pattern: "/sign-out", Roles: everyone, Handler: s.pageSignOut},
		{Method: "GET", Pattern: "/people", Roles: everyone, Handler: s.pagePeople},
		{Method: "GET", Pattern: "/people/new", Roles: writers, Handler: s.pageNewPerson},
		{Method: "POST", Pattern: "/people", Roles: writers, Handler: s.pageCreatePerson},
		{Method: "GET", Pattern: "/people/{id}", Roles: everyone, Handler: s.pagePerson},
		{Method: "GET", Pattern: "/people/{id}/edit", Roles: writers, Handler: s.pageEditPerson},
		{Method: "POST", Pattern: "/people/{id}/edit", Roles: writers, Handler: s.pageUpdatePerson},
		{Method: "GET", Pattern: "/people/{id}/contact-points/new", Roles: writers, Handler: s.pageNewContactPoint},
		{Method: "POST", Pattern: "/people/{id}/contact-points", Roles: writers, Handler: s.pageAddContactPoint},
		{Method: "GET", Pattern: "/contact-points/{id}/change", Roles: writers, Handler: s.pageChangeContactPoint},
		{Method: "POST", Pattern: "/contact-points/{id}/change", Roles: writers, Handler: s.pageReplaceContactPoint},
		{Method: "GET", Pattern: "/contact-points/{id}/end", Roles: writers, Handler: s.pageEndContactPointForm},
		{Method: "POST", Pattern: "/contact-points/{id}/end", Roles: writers, Handler: s.pageEndContactPoint},
		{Method: "POST", Pattern: "/contact-points/{id}/confirm", Roles: writers, Handler: s.pageConfirmContactPoint},
		{Method: "GET", Pattern: "/lapses/{id}", Roles: staff, Handler: s.withLapses(s.pageLapse)},
		{Method: "POST", Pattern: "/lapses/{id}/attempts", Roles: writers, Handler: s.withLapses(s.pageRecordAttempt)},
		{Method: "GET", Pattern: "/people/{id}/notices/new", Roles: noticeWriters, Handler: s.withCorr(s.pageNewNotice)},
		{Method: "POST", Pattern: "/people/{id}/notices/preview", Roles: noticeWriters, Handler: s.withCorr(s.pagePreviewNotice)},
		{Method: "POST", Pattern: "/people/{id}/notices", Roles: noticeWriters, Handler: s.withCorr(s.pageCreateNotice)},
		{Method: "GET", Pattern: "/notices", Roles: staff, Handler: s.withCorr(s.pageNotices)},
		{Method: "GET", Pattern: "/notices/{id}", Roles: staff, Handler: s.withCorr(s.pageNotice)},
		{Method: "POST", Pattern: "/notices/{id}/copy-given", Roles: writers, Handler: s.withCorr(s.pageCopyGiven)},
		{Method: "GET", Pattern: "/outbox", Roles: outboxReaders, Handler: s.withCorr(s.pageOutbox)},
		{Method: "POST", Pattern: "/outbox/{channel}/resume", Roles: admins, Handler: s.withCorr(s.pageResumeChannel)},
		{Method: "GET", Pattern: "/templates", Roles: staff, Handler: s.withCorr(s.pageTemplates)},
		{Method: "GET", Pattern: "/templates/new", Roles: writers, Handler: s.withCorr(s.pageNewTemplate)},
		{Method: "POST", Pattern: "/templates", Roles: writers, Handler: s.withCorr(s.pageCreateTemplate)},
		{Method: "GET", Pattern: "/templates/{id}", Roles: staff, Handler: s.withCorr(s.pageTemplate)},
		{Method: "POST", Pattern: "/templates/{id}", Roles: writers, Handler: s.withCorr(s.pageSaveTemplate)},
		{Method: "POST", Pattern: "/template-versions/{id}/publish", Roles: writers, Handler: s.withCorr(s.pagePublishVersion)},
		{Method: "GET", Pattern: "/tasks", Roles: taskWorkers, Handler: s.withTasks(s.pageMyTasks)},
		{Method: "GET", Pattern: "/queues", Roles: queueReaders, Handler: s.withTasks(s.pageQueues)},
		{Method: "GET", Pattern: "/queues/{queue}", Roles: taskWorkers, Handler: s.withTasks(s.pageQueue)},
		{Method: "GET", Pattern: "/tasks/{id}", Roles: taskWorkers, Handler: s.withTasks(s.pageTask)},
		{Method: "POST", Pattern: "/tasks/{id}/claim", Roles: taskWorkers, Handler: s.withTasks(s.pageTaskAction(taskClaim))},
		{Method: "POST", Pattern: "/tasks/{id}/release", Roles: taskWorkers, Handler: s.withTasks(s.pageTaskAction(taskRelease))},
		{Method: "POST", Pattern: "/tasks/{id}/done", Roles: taskWorkers, Handler: s.withTasks(s.pageTaskAction(taskDone))},
		{Method: "POST", Pattern: "/tasks/{id}/cancel", Roles: taskWorkers, Handler: s.withTasks(s.pageTaskAction(taskCancel))},
		{Method: "POST", Pattern: "/tasks/{id}/reassign", Roles: taskWorkers, Handler: s.withTasks(s.pageTaskAction(taskReassign))},
		{Method: "POST", Pattern: "/tasks/{id}/change", Roles: taskWorkers, Handler: s.withTasks(s.pageTaskAction(taskChange))},
		{Method: "GET", Pattern: "/tasks/reassign", Roles: admins, Handler: s.withTasks(s.pageReassignAllForm)},
		{Method: "POST", Pattern: "/tasks/reassign", Roles: admins, Handler: s.withTasks(s.pageReassignAll)},
	}
}
