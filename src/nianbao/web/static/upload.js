// Upload the chosen files one at a time to the JSON API, showing progress and each file's outcome.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var input = document.getElementById("upload-files");
  var progress = document.getElementById("upload-progress");
  var statusText = document.getElementById("upload-status");
  var results = document.querySelector("#upload-results tbody");

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function link(td, id, text) {
    var a = document.createElement("a");
    a.href = "/reports/" + encodeURIComponent(id);
    a.textContent = text;
    td.textContent = "";
    td.appendChild(a);
  }

  function describe(status, body) {
    var before = body.already_stored ? "此前已上传过，" : "";
    if ((status === 201 || status === 200) && body.report) {
      var meta = body.report.meta || {};
      var errors = (body.report.findings || []).filter(function (f) { return f.severity === "error"; }).length;
      return [before + "已解析：" + (meta.agency || "未识别单位") + " " + (meta.year || "") + "（错误 " + errors + " 项）",
              "ok"];
    }
    if (status === 422 && body.id) { return [before + "无法解析：" + (body.error_message || "不是年度报告"), "failed"]; }
    return ["未上传：" + (typeof body.detail === "string" ? body.detail : "请求被拒绝（" + status + "）"), "failed"];
  }

  async function send(file, row) {
    var data = new FormData();
    data.append("file", file, file.name);
    var outcome = cell(row, "上传中…", "pending");
    var report = cell(row, "");
    try {
      var response = await fetch(form.dataset.endpoint, { method: "POST", body: data });
      var body = await response.json().catch(function () { return {}; });
      var shown = describe(response.status, body);
      outcome.textContent = shown[0];
      outcome.className = shown[1];
      if (body.id) { link(report, body.id, "查看报告 #" + body.id); }
    } catch (error) {
      outcome.textContent = "网络错误：" + error.message;
      outcome.className = "failed";
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files);
    if (!files.length) { return; }
    form.querySelector("button").disabled = true;
    progress.max = files.length;
    progress.value = 0;
    for (var i = 0; i < files.length; i += 1) {
      statusText.textContent = "正在处理 " + (i + 1) + " / " + files.length + "：" + files[i].name;
      var row = document.createElement("tr");
      cell(row, files[i].name);
      results.appendChild(row);
      await send(files[i], row);
      progress.value = i + 1;
    }
    statusText.textContent = "完成：共 " + files.length + " 个文件";
    form.querySelector("button").disabled = false;
    input.value = "";
  });
})();
