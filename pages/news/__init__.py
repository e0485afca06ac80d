"""Articles (お知らせ・取組紹介): the /news/ list, article pages, their categories and series."""
