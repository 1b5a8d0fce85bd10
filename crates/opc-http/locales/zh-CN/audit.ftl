# 控制台的简体中文：audit 页面。消息 id 与 en-US/audit.ftl 一一对应。
