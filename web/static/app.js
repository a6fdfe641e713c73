// tether's one script. It is an ES module, so it runs only in browsers that
// GOV.UK Frontend supports; there it marks the body as such (the job of the
// inline snippet in GOV.UK's page template, which the CSP does not allow)
// and starts every component on the page.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
