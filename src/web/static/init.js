// Runs first in <body>: GOV.UK Frontend styles components for JavaScript only when this class is set.
// A file, not an inline script, so the Content-Security-Policy can forbid inline scripts.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
