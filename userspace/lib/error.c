// SPDX-License-Identifier: GPL-2.0
/* Error reporting for libvesp: see error.h. */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int vesp_error_set(struct vesp_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->errnum = errnum;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	err->syntax = false;
	return -1;
}

int vesp_error_syntax(struct vesp_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->errnum = EINVAL;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	err->syntax = true;
	return -1;
}

void vesp_error_clear(struct vesp_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

bool vesp_error_has_kernel_message(const struct vesp_error *err)
{
	return err && err->kernel_message[0] != '\0';
}
