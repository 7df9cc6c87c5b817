// SPDX-License-Identifier: GPL-2.0
/*
 * vesp: route-based IPsec (ESP) tunnel interfaces.
 */

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/vesp.h>
#include <net/rtnetlink.h>

#include "device.h"

static int __init vesp_mod_init(void)
{
	return vesp_device_init();
}

static void __exit vesp_mod_exit(void)
{
	vesp_device_uninit();
	/* Let RCU callbacks that still point into the module finish. */
	rcu_barrier();
}

module_init(vesp_mod_init);
module_exit(vesp_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route-based IPsec (ESP) tunnel interfaces");
MODULE_AUTHOR("The vesp developers");
MODULE_ALIAS_RTNL_LINK(VESP_LINK_KIND);
