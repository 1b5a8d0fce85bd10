# 控制台的简体中文：customer 页面。消息 id 与 en-US/customer.ftl 一一对应。
