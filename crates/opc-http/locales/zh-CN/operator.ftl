# 控制台的简体中文：operator 页面。消息 id 与 en-US/operator.ftl 一一对应。
