// SPDX-License-Identifier: GPL-2.0
/* Error reporting for the IKE library: see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ike_error_set(struct ike_error *err, uint16_t notify, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->notify = notify;
	err->notify_data = 0;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -1;
}

void ike_error_clear(struct ike_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}
