// SPDX-License-Identifier: GPL-2.0
/*
 * vesp: route-based IPsec (ESP) tunnel interfaces.
 */

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/vesp.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "main.h"
#include "netlink.h"
#include "receive.h"

struct workqueue_struct *vesp_wq;

static int __init vesp_mod_init(void)
{
	int ret;

	vesp_wq = alloc_workqueue("vesp", WQ_MEM_RECLAIM, 0);
	if (!vesp_wq)
		return -ENOMEM;
	ret = vesp_device_init();
	if (ret)
		goto err_destroy_wq;
	ret = vesp_receive_init();
	if (ret)
		goto err_device;
	/* Userspace can configure devices only once all is in place. */
	ret = vesp_nl_init();
	if (ret)
		goto err_receive;
	return 0;

err_receive:
	vesp_receive_uninit();
err_device:
	vesp_device_uninit();
err_destroy_wq:
	destroy_workqueue(vesp_wq);
	return ret;
}

static void __exit vesp_mod_exit(void)
{
	vesp_nl_uninit();
	vesp_device_uninit();
	vesp_receive_uninit();
	/* SAs and paths are freed after a grace period, some on vesp_wq. */
	rcu_barrier();
	destroy_workqueue(vesp_wq);
}

module_init(vesp_mod_init);
module_exit(vesp_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route-based IPsec (ESP) tunnel interfaces");
MODULE_AUTHOR("The vesp developers");
MODULE_ALIAS_RTNL_LINK(VESP_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(VESP_GENL_NAME);
