/* A form's write that failed: "nothing was changed" only when that is known (web_int.h web_write_failed). */
#include <stdio.h>

#include "web/web_int.h"

#define UNKNOWN_TITLE "Your change may or may not have been saved"
#define UNKNOWN_MESSAGE                                                                                           \
	"The connection to the database was lost just as your change was being saved, so we cannot tell whether " \
	"it was. Check the record before you try again, so that nothing is recorded twice."

const char *web_write_unknown_message(int rc)
{
	return rc == STORE_EUNKNOWN ? UNKNOWN_MESSAGE : NULL;
}

void web_write_failed(const struct web *w, http_request *rq, int rc, const char *title, const char *message,
		      const char *href, const char *link_text)
{
	const char *unknown = web_write_unknown_message(rc);
	if (unknown) {
		title = UNKNOWN_TITLE;
		message = unknown;
	}
	if (href)
		web_message_link(w, rq, 503, title, message, href, link_text);
	else
		web_message(w, rq, 503, title, message);
}
