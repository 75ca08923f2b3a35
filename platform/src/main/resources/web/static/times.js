// Shows every <time datetime> in the reader's own time zone, to the second, in the form the server
// writes in UTC (web/Times.java): "2026-12-07 19:09:39 UTC+1". The exact instant stays in datetime
// and title. Runs on the page and on what htmx swaps in (the queue page refreshes itself).
(function () {
    'use strict';
    function pad(n) {
        return String(n).padStart(2, '0');
    }
    function zone(d) {
        var east = -d.getTimezoneOffset();
        if (east === 0) {
            return 'UTC';
        }
        var abs = Math.abs(east);
        return 'UTC' + (east > 0 ? '+' : '-') + Math.floor(abs / 60) + (abs % 60 ? ':' + pad(abs % 60) : '');
    }
    function local(d) {
        return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
            + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + ' ' + zone(d);
    }
    function show(root) {
        root.querySelectorAll('time[datetime]').forEach(function (t) {
            var value = t.getAttribute('datetime');
            var d = new Date(value);
            if (value.indexOf('T') > 0 && !isNaN(d.getTime())) {
                t.textContent = local(d);
            }
        });
    }
    document.addEventListener('DOMContentLoaded', function () {
        show(document);
    });
    document.addEventListener('htmx:load', function (e) {
        show(e.target);
    });
})();
