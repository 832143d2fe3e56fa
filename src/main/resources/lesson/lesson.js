// The lesson page's script: reads the responder endpoint's GET as the kernel view refreshes, draws the port's TCP
// states with uPlot, counts down to when a blocked port frees, and posts the restart form to the endpoint's restart.
// It keeps the operator's credentials in this page's memory only and sends them itself (credentials: 'omit'), so
// that the browser neither stores them nor prompts for them.
(() => {
	'use strict';

	const STATES = ['LISTEN', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE_WAIT',
		'LAST_ACK', 'CLOSING'];
	// Distinct at a glance and each at least 3:1 against white (WCAG's non-text contrast).
	const COLOURS = ['#0a5cc2', '#8250df', '#116329', '#9a6700', '#bc4c00', '#cf222e', '#1b7c83', '#6e7781',
		'#4d2d00'];
	const WINDOW_SECONDS = 600;
	const EVERY_ADDRESS = ['::', '0.0.0.0'];

	const body = document.body;
	const endpoint = body.dataset.endpoint;
	const refreshMillis = Number(body.dataset.refreshMillis);
	// Several asks per reading, so that a new reading shows well within one refresh interval of being made; the
	// endpoint answers them from the same reading.
	const askMillis = Math.min(Math.max(250, refreshMillis / 4), 5000);
	const texts = JSON.parse(document.getElementById('texts').textContent);
	const lang = document.documentElement.lang;
	const numbers = new Intl.NumberFormat(lang);
	const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
	const dateAndTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });

	const credentials = { username: '', password: '' };
	let readsNeedCredentials = false;
	let lastReadAt = null;
	const samples = [[], ...STATES.map(() => [])];
	let chart = null;

	/** A text of the page's language with its {name} placeholders filled: strings, numbers or nodes. */
	function fill(key, values = {}) {
		const template = texts[key] ?? key;
		const parts = [];
		let last = 0;
		for (const match of template.matchAll(/\{(\w+)\}/g)) {
			parts.push(template.slice(last, match.index));
			parts.push(match[1] in values ? values[match[1]] : match[0]);
			last = match.index + match[0].length;
		}
		parts.push(template.slice(last));
		return parts;
	}

	function text(key, values) {
		return fill(key, values).map((part) => (part instanceof Node ? part.textContent : String(part))).join('');
	}

	function element(name, attributes = {}, ...children) {
		const node = document.createElement(name);
		for (const [attribute, value] of Object.entries(attributes)) {
			node.setAttribute(attribute, value);
		}
		for (const child of children.flat()) {
			node.append(child instanceof Node ? child : document.createTextNode(String(child)));
		}
		return node;
	}

	function time(instant, format = clock) {
		return element('time', { datetime: instant }, format.format(new Date(instant)));
	}

	function number(value) {
		return (value === null || value === undefined) ? '–' : numbers.format(value);
	}

	function basic() {
		const bytes = new TextEncoder().encode(credentials.username + ':' + credentials.password);
		return 'Basic ' + btoa(String.fromCharCode(...bytes));
	}

	function status(message) {
		document.getElementById('status').textContent = message;
	}

	// The figures.

	function show(state) {
		for (const port of document.querySelectorAll('.port')) {
			port.textContent = String(state.port);
		}
		document.getElementById('port-heading').textContent = text('portHeading', { port: state.port });
		showListeners(state.listeners);
		for (const option of document.querySelectorAll('[data-option]')) {
			const value = state[option.dataset.option];
			option.textContent = (typeof value === 'boolean') ? text(value ? 'on' : 'off')
				: (typeof value === 'number') ? number(value) : String(value);
		}
		showFigures(state);
		if (state.tcp.available && state.tcp.readAt !== lastReadAt) {
			lastReadAt = state.tcp.readAt;
			addSample(state.tcp);
		}
		countDown();
	}

	function showListeners(listeners) {
		const rows = listeners.map((listener) => element('tr', {},
			element('td', {}, EVERY_ADDRESS.includes(listener.address)
				? text('everyAddress', { address: listener.address }) : listener.address),
			element('td', { class: 'number' }, String(listener.port)),
			element('td', { class: 'state-' + listener.state, 'data-state-of': listener.address },
				text('state.' + listener.state)),
			element('td', {}, time(listener.since, dateAndTime)),
			element('td', { class: 'verdict' }, verdict(listener))));
		document.querySelector('#listeners tbody').replaceChildren(...rows);
	}

	function verdict(listener) {
		const error = listener.lastError;
		if (!error) {
			return [element('p', {}, text('verdict.none'))];
		}
		const lines = [element('p', { class: 'error' }, fill('verdict.error', error))];
		const blockers = listener.blockers;
		if (blockers) {
			lines.push(element('p', {}, fill('verdict.blockers', {
				timeWait: number(blockers.timeWait), listeners: number(blockers.listeners),
				others: number(blockers.others) })));
			for (const holder of blockers.holders ?? []) {
				lines.push(element('p', {}, fill('verdict.holder', {
					address: holder.address, inode: String(holder.inode), pid: holder.pid ?? '?',
					command: holder.command ?? '' })));
			}
			if (listener.freeAt) {
				const countdown = element('span', { class: 'countdown', 'data-free-at': listener.freeAt });
				lines.push(element('p', {}, fill('verdict.freeAt', { time: time(listener.freeAt), countdown })));
			}
			else {
				lines.push(element('p', {}, text('verdict.freeNever')));
			}
			const helps = listener.reuseAddressWouldHelp;
			lines.push(element('p', { 'data-reuse-address-would-help': String(helps) }, text('verdict.reuse', {
				answer: text((helps === null || helps === undefined) ? 'unknown' : (helps ? 'yes' : 'no')) })));
		}
		if (listener.retryAt) {
			lines.push(element('p', {}, fill('verdict.retryAt', { time: time(listener.retryAt) })));
		}
		return lines;
	}

	/** Whole seconds until the port frees, rounded up as the endpoint's freeInSeconds is, on this browser's clock. */
	function countDown() {
		for (const countdown of document.querySelectorAll('[data-free-at]')) {
			const seconds = Math.max(0, Math.ceil((Date.parse(countdown.dataset.freeAt) - Date.now()) / 1000));
			countdown.dataset.seconds = String(seconds);
			countdown.textContent = text('seconds', { n: numbers.format(seconds) });
		}
	}

	function proxyProtocol(setting) {
		if (!setting.enabled) {
			return text('off');
		}
		return text('proxy.on', {
			from: setting.trustedProxies.length ? setting.trustedProxies.join(', ') : text('proxy.everyPeer'),
			timeout: String(setting.headerTimeout) });
	}

	function showFigures(state) {
		const tcp = state.tcp;
		const figures = {
			readAt: tcp.readAt ? time(tcp.readAt) : '–',
			source: tcp.available ? tcp.source : text('notAvailable'),
			acceptQueue: tcp.acceptQueue ? number(tcp.acceptQueue.depth) + ' / ' + number(tcp.acceptQueue.limit) : '–',
			drops: tcp.listeners && tcp.listeners.some((listener) => listener.drops !== undefined)
				? number(tcp.listeners.reduce((sum, listener) => sum + (listener.drops ?? 0), 0)) : '–',
			hostListenOverflows: number(tcp.hostListenOverflows),
			accepted: number(state.connections.accepted),
			completed: number(state.connections.completed),
			failed: number(state.connections.failed),
			refused: number(state.connections.refused),
			held: number(state.limits.held) + ' (' + number(state.limits.maxConnections) + ')',
			active: number(state.connections.active),
			restarts: number(state.restarts.succeeded) + ' / ' + number(state.restarts.failed),
			proxyProtocol: proxyProtocol(state.proxyProtocol),
			proxyHeaders: ['v1', 'v2', 'local', 'invalid', 'timeout', 'untrustedWithoutHeader']
				.map((outcome) => number(state.proxyProtocol.headers[outcome])).join(' / '),
		};
		for (const figure of document.querySelectorAll('[data-figure]')) {
			figure.replaceChildren(figures[figure.dataset.figure]);
		}
		for (const count of document.querySelectorAll('dd[data-state]')) {
			count.textContent = tcp.states ? number(tcp.states[count.dataset.state]) : '–';
		}
	}

	// The chart, and the same readings as a table.

	function addSample(tcp) {
		const at = Date.parse(tcp.readAt) / 1000;
		samples[0].push(at);
		STATES.forEach((name, i) => samples[i + 1].push(tcp.states[name]));
		while (samples[0].length > 1 && samples[0][0] < at - WINDOW_SECONDS) {
			samples.forEach((series) => series.shift());
		}
		const rows = document.querySelector('#samples tbody');
		rows.append(element('tr', { 'data-read-at': tcp.readAt },
			element('td', {}, time(tcp.readAt)),
			STATES.map((name) => element('td', { class: 'number', 'data-state': name }, number(tcp.states[name])))));
		while (rows.rows.length > samples[0].length) {
			rows.deleteRow(0);
		}
		drawChart();
	}

	function drawChart() {
		const container = document.getElementById('chart');
		if (!chart) {
			chart = new uPlot({
				width: container.clientWidth,
				height: 300,
				series: [
					{ label: text('chart.time'),
						value: (u, v) => (v === null ? '–' : clock.format(new Date(v * 1000))) },
					...STATES.map((name, i) => ({ label: name, stroke: COLOURS[i], width: 2,
						value: (u, v) => number(v) })),
				],
				// One reading spans no time: show the minute before it.
				scales: { x: { range: (u, min, max) => (min === max ? [min - 60, max] : [min, max]) }, y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
				axes: [
					{ space: 90, values: (u, splits) => splits.map((v) => clock.format(new Date(v * 1000))) },
					{ values: (u, splits) => splits.map((v) => numbers.format(v)) },
				],
			}, samples, container);
			window.addEventListener('resize', () => chart.setSize({ width: container.clientWidth, height: 300 }));
		}
		else {
			chart.setData(samples);
		}
	}

	function samplesHeader() {
		const header = document.querySelector('#samples thead tr');
		header.append(...STATES.map((name) => element('th', { scope: 'col', class: 'number' }, name)));
	}

	// Reading the endpoint.

	let nextRead = null;
	let reading = false;

	async function read() {
		clearTimeout(nextRead);
		if (reading) {
			return; // the read under way asks again when it ends
		}
		reading = true;
		try {
			const headers = { Accept: 'application/json' };
			if (readsNeedCredentials && credentials.username) {
				headers.Authorization = basic();
			}
			const response = await fetch(endpoint, { credentials: 'omit', cache: 'no-store', headers });
			if (response.status === 401) {
				readsNeedCredentials = true;
				status(credentials.username ? text('status.refused', { status: 401 }) : text('status.credentials'));
			}
			else if (!response.ok) {
				status(text('status.unreachable', { error: 'HTTP ' + response.status }));
			}
			else {
				show(await response.json());
				status(text('status.updated', { time: clock.format(new Date()) }));
			}
		}
		catch (failure) {
			status(text('status.unreachable', { error: failure.message }));
		}
		finally {
			reading = false;
			nextRead = setTimeout(read, askMillis);
		}
	}

	// The restart form.

	function restartBody(form) {
		const fields = {};
		for (const field of form.querySelectorAll('[data-type]')) {
			const value = field.value.trim();
			if (value === '') {
				continue;
			}
			switch (field.dataset.type) {
				case 'boolean':
					fields[field.name] = (value === 'true');
					break;
				case 'integer':
					// Anything else goes as typed, for the endpoint to refuse with the field's name.
					fields[field.name] = /^-?\d+$/.test(value) ? Number(value) : value;
					break;
				case 'array of strings':
					fields[field.name] = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
					break;
				default:
					fields[field.name] = value;
			}
		}
		return fields;
	}

	function takeCredentials(form) {
		credentials.username = form.elements.username.value;
		credentials.password = form.elements.password.value;
	}

	async function restart(event) {
		event.preventDefault();
		const form = event.target;
		// "Check first" asks what the restart would meet: the same body with dryRun, and nothing is closed.
		const dryRun = Boolean(event.submitter && event.submitter.name === 'dryRun');
		takeCredentials(form);
		const answer = document.getElementById('answer');
		answer.className = '';
		// The last answer's status goes with it: what is on its way has none yet.
		delete answer.dataset.status;
		delete answer.dataset.wouldBind;
		answer.replaceChildren(element('p', {}, text('answer.sending')));
		const headers = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };
		if (credentials.username) {
			headers.Authorization = basic();
		}
		const body = restartBody(form);
		if (dryRun) {
			body.dryRun = true;
		}
		try {
			const response = await fetch(endpoint + '/restart', { method: 'POST', credentials: 'omit',
				cache: 'no-store', headers, body: JSON.stringify(body) });
			const json = await response.json().catch(() => ({}));
			showAnswer(answer, response, json);
			const state = json.dryRun ? null : (response.ok ? json : json.responder);
			if (state) {
				show(state);
			}
		}
		catch (failure) {
			answer.className = 'bad';
			answer.replaceChildren(element('p', { class: 'status' }, text('answer.failed', { error: failure.message })));
		}
	}

	function showAnswer(answer, response, json) {
		answer.className = response.ok ? 'good' : 'bad';
		answer.dataset.status = String(response.status);
		const lines = [element('p', { class: 'status' },
			text('answer.status', { status: response.status }) + (json.title ? ' ' + json.title : ''))];
		if (response.ok && json.dryRun) {
			answer.dataset.wouldBind = String(json.wouldBind);
			lines.push(element('p', {}, text(json.wouldBind ? 'answer.wouldBind' : 'answer.wouldNotBind')));
			if (json.refusal) {
				lines.push(element('p', { class: 'detail' }, json.refusal));
			}
			for (const listener of json.listeners.filter((each) => !each.wouldBind && each.blockers)) {
				lines.push(element('p', { 'data-blocked': listener.address }, text('answer.blocked', {
					address: listener.address, timeWait: number(listener.blockers.timeWait),
					listeners: number(listener.blockers.listeners),
					seconds: (listener.freeInSeconds === null) ? '—' : number(listener.freeInSeconds) })));
			}
		}
		else if (response.ok) {
			lines.push(element('p', {}, text('answer.ok', { state: text('state.' + json.state), port: json.port })));
		}
		if (response.status === 401) {
			lines.push(element('p', {}, text('answer.unauthorized')));
		}
		if (json.detail) {
			lines.push(element('p', { class: 'detail' }, json.detail));
		}
		if (json.field) {
			lines.push(element('p', { 'data-field': json.field }, text('answer.field', { field: json.field })));
		}
		const error = json.responder && json.responder.lastError;
		if (response.status === 409 && error) {
			lines.push(element('p', { 'data-code': error.code, 'data-errno': String(error.errno) },
				text('answer.error', { code: error.code, errno: error.errno })));
		}
		const retryAfter = response.headers.get('Retry-After');
		if (retryAfter) {
			lines.push(element('p', {}, text('answer.retryAfter', { seconds: retryAfter })));
		}
		answer.replaceChildren(...lines);
	}

	for (const origin of document.querySelectorAll('.origin')) {
		origin.textContent = location.origin;
	}
	samplesHeader();
	const form = document.getElementById('restart');
	form.addEventListener('submit', restart);
	// Where reads need credentials too (responder.security.anonymous-reads: false), the figures follow as soon as
	// the reader has typed them.
	form.elements.password.addEventListener('change', () => {
		takeCredentials(form);
		if (readsNeedCredentials) {
			read();
		}
	});
	setInterval(countDown, 1000);
	read();
})();
