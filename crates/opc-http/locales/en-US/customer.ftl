# English words of the console: customer pages. Ids are shared with zh-CN/customer.ftl.
