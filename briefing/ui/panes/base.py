"""What the four panes share: a list of items, an optional detail view of the
highlighted item with followable links, and the activate / reveal / snapshot
/ restore API the screen and the back stack use.

A pane's list options have ids ``item-<n>`` where ``n`` indexes the pane's
model list (``briefing.bluf``, ``.actors``, ``.timeline``, ``.sources``), the
same index a search hit carries in ``hit.doc.index``. Detail rows that can be
followed have ids ``link-<n>`` into ``self.links``.

API for other parts of the app (the search bar builds on this):

* ``pane.reveal(index, field=None, span=None)``: select item ``index``, and
  highlight ``span`` (character offsets into that item's ``field``, as in a
  search hit) where the pane shows that field. The Sources pane scrolls its
  text to a span in ``text``. Prefer ``BriefingScreen.jump_to`` which also
  records the back stack.
* ``pane.activate()``: focus the pane's list.
* ``pane.snapshot()`` / ``pane.restore(state)``: everything needed to come
  back exactly (used by the back stack).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import OptionList, TabPane
from textual.widgets.option_list import Option

from briefing.model import Briefing
from briefing.ui.bindings import bindings
from briefing.ui.text import Mark
from briefing.ui.widgets.navlist import NavList
from briefing.ui.focus import focus_now

if TYPE_CHECKING:
    from briefing.ui.screens.briefing import BriefingScreen

#: What a detail row points at: ("source", id), ("event", index), ("actor", id).
Link = tuple[str, Any]


#: The pane a briefing opens on: filled before the first frame.
FIRST_PANE = "bluf"


#: A widget and the widgets inside it.
Tree = tuple[Widget, list["Tree"]]


def _composed(trees: list[Tree]) -> ComposeResult:
    for widget, children in trees:
        if children:
            with widget:
                yield from _composed(children)
        else:
            yield widget


def _mount(parent: Widget, trees: list[Tree]) -> None:
    """Put ``trees`` in the DOM under ``parent`` now (Textual finishes
    mounting them on its next turn), so they can be queried at once."""
    parent.mount_all([widget for widget, _ in trees])
    for widget, children in trees:
        if children:
            _mount(widget, children)


def item_id(index: int) -> str:
    return f"item-{index}"


def item_index(option_id: str | None) -> int | None:
    if option_id and option_id.startswith("item-"):
        return int(option_id[5:])
    return None


class NavigationPane(TabPane):
    PANE_ID: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    HAS_DETAIL: ClassVar[bool] = True
    BINDINGS = bindings("pane")

    def __init__(self, briefing: Briefing) -> None:
        super().__init__(self.TITLE, id=self.PANE_ID)
        self.briefing = briefing
        self.links: list[Link] = []
        self.shown: int | None = None  # the model index shown in the detail
        self.mark: Mark | None = None  # (field, start, end) of the shown item
        self._filled = False
        # The pane a briefing opens on is built with the screen; the others
        # after the first frame (or when first needed): styling and laying
        # out their widgets is a third of the first frame's time.
        self._built = self.PANE_ID == FIRST_PANE

    # -- structure -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self._built:
            yield from _composed(self.parts())

    def parts(self) -> list[Tree]:
        """The pane's widgets: anything above the body, then the list beside
        (or above) the detail view."""
        body: list[Tree] = [(NavList(id="list", classes="items"), [])]
        if self.HAS_DETAIL:
            body.append(self.detail_box())
        return [*self.top_parts(), (Widget(classes="body"), body)]

    def top_parts(self) -> list[Tree]:
        return []

    def detail_box(self) -> Tree:
        return Vertical(classes="detail-box"), [(NavList(id="detail", reader=True, classes="detail"), [])]

    @property
    def list(self) -> NavList:
        return self.query_one("#list", NavList)

    @property
    def detail(self) -> Widget | None:
        return self.query_one("#detail") if self.HAS_DETAIL else None

    @property
    def briefing_screen(self) -> "BriefingScreen":
        return self.screen  # type: ignore[return-value]

    def on_mount(self) -> None:
        # Subclasses use prepare(): Textual calls on_mount of every class in
        # the MRO, so overriding it would fill the list twice.
        if self._built:
            self.prepare()
            self.fill_list()
        else:
            # The panes not on screen are built and filled after the first
            # frame (or as soon as anything asks for them), so the first
            # screen appears sooner.
            self.call_after_refresh(self.ensure_filled)

    def ensure_filled(self) -> None:
        """Build and fill the pane if that has not happened yet: everything
        that touches the pane's widgets calls this first."""
        if not self._built:
            self._built = True
            _mount(self, self.parts())  # in the DOM at once, mounted soon after
            if not self.children:
                return  # the app is closing (q right after the first frame): nothing mounts now
            self.prepare()
        if not self._filled:
            self.fill_list()

    def prepare(self) -> None:
        """Set-up before the list is first filled (subclass hook)."""

    # -- subclass hooks --------------------------------------------------------
    def item_options(self) -> list[Option]:
        """The list rows; item rows have ids from :func:`item_id`."""
        raise NotImplementedError

    def item_count(self) -> int:
        raise NotImplementedError

    def detail_options(self, index: int) -> list[Option]:
        """The detail rows of item ``index`` (uses ``self.mark``, fills
        ``self.links``)."""
        return []

    def item_sources(self, index: int) -> list[str]:
        """The source ids item ``index`` cites (followed by Enter)."""
        return []

    # -- list and detail -------------------------------------------------------
    def fill_list(self, keep: int | None = None) -> None:
        """(Re)build the list; keep item ``keep`` highlighted if it is there."""
        self._filled = True
        options = self.item_options()
        target = None
        if keep is not None:
            wanted = item_id(keep)
            target = next((i for i, o in enumerate(options) if o.id == wanted), None)
        self.list.replace(options, highlight=target)
        self.shown = None
        self.show_item(self.current_index())

    def current_index(self) -> int | None:
        """The model index of the highlighted list row."""
        self.ensure_filled()
        option = self.list.highlighted_option
        return item_index(option.id) if option else None

    def show_item(self, index: int | None) -> None:
        """Show item ``index`` in the detail view (if it is not already)."""
        if index == self.shown:
            return
        self.shown = index
        self.update_detail(index)

    def update_detail(self, index: int | None) -> None:
        detail = self.detail
        if isinstance(detail, NavList):
            self.links = []
            detail.replace(self.detail_options(index) if index is not None else [])

    def select(self, index: int, mark: Mark | None = None) -> bool:
        """Highlight item ``index`` in the list and show it; False when the
        item is not in the list (e.g. filtered out)."""
        lst = self.list
        row = lst.index_of(item_id(index))
        if row is None:
            return False
        self.mark = mark
        self.shown = None
        lst.highlighted = row
        lst.scroll_to_highlight()
        self.shown = index
        self.update_detail(index)
        return True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self.list:
            event.stop()
            if event.option_list.highlighted != event.option_index:
                return  # stale: the highlight moved on before this arrived
            index = item_index(event.option_id)
            if index != self.shown:
                self.mark = None
                self.show_item(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list is self.list:
            index = item_index(event.option_id)
            if index is not None:
                self.open_item(index)
        elif event.option_id and event.option_id.startswith("link-"):
            n = int(event.option_id[5:])
            if 0 <= n < len(self.links):
                self.briefing_screen.follow(self.links[n])

    def open_item(self, index: int) -> None:
        """Enter on a list row: follow the item's citations."""
        self.briefing_screen.follow_sources(self.item_sources(index))

    def add_link(self, link: Link) -> str:
        self.links.append(link)
        return f"link-{len(self.links) - 1}"

    # -- focus ---------------------------------------------------------------
    def activate(self) -> None:
        """Focus the pane's list (called when the pane is shown)."""
        self.ensure_filled()
        focus_now(self.list)

    def action_focus_detail(self) -> None:
        detail = self.detail
        if detail is not None:
            focus_now(detail)

    def action_focus_list(self) -> None:
        focus_now(self.list)

    def focused_part(self) -> str | None:
        focused = self.screen.focused
        if focused is None:
            return None
        for node in focused.ancestors_with_self:
            if node is self:
                return focused.id
        return None

    # -- reveal ----------------------------------------------------------------
    def reveal(self, index: int, *, field: str | None = None, span: tuple[int, int] | None = None) -> bool:
        """Select item ``index`` (and mark ``span`` of ``field``) and focus
        the list. False if there is no such item."""
        self.ensure_filled()
        if not 0 <= index < self.item_count():
            return False
        mark = (field, span[0], span[1]) if field and span else None
        if not self.select(index, mark):
            return False
        self.activate()
        return True

    # -- back stack --------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        self.ensure_filled()
        lst = self.list
        state: dict[str, Any] = {
            "item": self.current_index(),
            "list_y": lst.scroll_offset.y,
            "focus": self.focused_part(),
            "mark": self.mark,
        }
        detail = self.detail
        if detail is not None:
            state["detail_y"] = detail.scroll_offset.y
            if isinstance(detail, NavList):
                state["detail"] = detail.highlighted
        return state

    def restore(self, state: dict[str, Any]) -> None:
        """Put the pane back as :meth:`snapshot` saw it."""
        self.ensure_filled()
        index = state.get("item")
        if index is not None:
            self.select(index, state.get("mark"))
        focus = state.get("focus")
        target = self.query_one(f"#{focus}") if focus and self.query(f"#{focus}") else self.list
        focus_now(target)
        self.call_after_refresh(self._restore_scroll, state)

    def _restore_scroll(self, state: dict[str, Any]) -> None:
        self.list.scroll_to(y=state.get("list_y", 0), animate=False, immediate=True, force=True)
        detail = self.detail
        if isinstance(detail, NavList):
            detail.highlighted = state.get("detail")
        if detail is not None and "detail_y" in state:
            detail.scroll_to(y=state["detail_y"], animate=False, immediate=True, force=True)
